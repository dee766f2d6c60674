package dev.ich.ingest.dimse;

import dev.ich.ingest.CStoreStatus;
import dev.ich.ingest.StoreOutcome;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;
import dev.ich.ingest.StoreOutcome.Rejected;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/**
 * One association of the DIMSE door, on PixelMed's public association API: negotiation
 * ({@link StorePresentationContexts}), then each request read whole, C-ECHO answered, and each C-STORE
 * answered only after {@link Instances#store} has decided, with the status of {@link CStoreStatus} and the
 * reason in Error Comment. PixelMed's own SCP cannot do this (it builds the Success response before its
 * handler runs). A request ich cannot take part in (another command, a data set without its command, a
 * handler that throws) aborts the association (A-ABORT), so the sender learns at once instead of waiting.
 */
final class CStoreScp {
    private static final Logger LOG = Logger.getLogger(CStoreScp.class);
    private static final int C_STORE_RQ = 0x0001;
    private static final int C_ECHO_RQ = 0x0030;
    /** CommandDataSetType (0000,0800) when no data set follows (PS3.7 E.2). */
    private static final int NO_DATA_SET = 0x0101;
    /** (0000,0000), which PixelMed's TagFromName does not name. */
    private static final AttributeTag COMMAND_GROUP_LENGTH = new AttributeTag(0x0000, 0x0000);

    /** What the door does with what arrives; may throw, which aborts the association. */
    interface Instances {
        /** Ingests one instance, received as {@code part10} (ich's file meta header before the data set as sent). */
        StoreOutcome store(byte[] part10, String sopClassUid, String sopInstanceUid);

        /** An instance over the size limit, refused without being held in memory. */
        StoreOutcome tooLarge(long bytes, String sopClassUid, String sopInstanceUid);
    }

    private final String aeTitle;
    private final long maxInstanceBytes;
    private final Duration readTimeout;

    CStoreScp(String aeTitle, long maxInstanceBytes, Duration readTimeout) {
        this.aeTitle = aeTitle;
        this.maxInstanceBytes = maxInstanceBytes;
        this.readTimeout = readTimeout;
    }

    /**
     * Runs the association on {@code socket} (whose first bytes are the A-ASSOCIATE-RQ) to its end on this
     * thread: until the sender releases it, aborts it, falls silent for the read timeout, or ich aborts it.
     */
    void run(Socket socket, String remote, Instances instances) throws IOException, DicomNetworkException {
        socket.setSoTimeout(Math.toIntExact(readTimeout.toMillis()));
        Association association = AssociationFactory.createNewAssociation(socket, aeTitle,
                AssociationFactory.getDefaultMaximumLengthReceived(), AssociationFactory.getDefaultReceiveBufferSize(),
                AssociationFactory.getDefaultSendBufferSize(), new StorePresentationContexts());
        try {
            while (true) {
                Request request = new Request(maxInstanceBytes);
                association.setReceivedDataHandler(request);
                association.waitForPDataPDUsUntilHandlerReportsDone();
                answer(association, request, remote, instances);
            }
        } catch (AReleaseException released) {
            LOG.debugf("DIMSE association from %s released", remote);
        }
    }

    private void answer(Association association, Request request, String remote, Instances instances)
            throws DicomNetworkException {
        try {
            if (request.violation != null) throw new ProtocolViolation(request.violation);
            AttributeList command = request.command;
            int field = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandField, -1);
            int messageId = Attribute.getSingleIntegerValueOrDefault(command, TagFromName.MessageID, 0);
            String sopClass = Attribute.getSingleStringValueOrNull(command, TagFromName.AffectedSOPClassUID);
            byte context = request.contextId;
            if (field == C_ECHO_RQ) {
                association.send(context, new CEchoResponseCommandMessage(sopClass, messageId, CStoreStatus.SUCCESS).getBytes(), null);
            } else if (field == C_STORE_RQ) {
                String sop = Attribute.getSingleStringValueOrNull(command, TagFromName.AffectedSOPInstanceUID);
                if (!request.allowsData()) throw new ProtocolViolation("C-STORE-RQ without a data set");
                if (sopClass == null || sop == null) {
                    throw new ProtocolViolation("C-STORE-RQ without Affected SOP Class or Instance UID");
                }
                StoreOutcome outcome = request.tooLarge()
                        ? instances.tooLarge(request.dataBytes, sopClass, sop)
                        : instances.store(part10(sopClass, sop, association.getTransferSyntaxForPresentationContextID(context),
                                association.getCallingAETitle(), request.data.toByteArray()), sopClass, sop);
                association.send(context, response(sopClass, sop, messageId, outcome), null);
            } else {
                throw new ProtocolViolation("command 0x" + Integer.toHexString(field) + " is not C-STORE or C-ECHO");
            }
        } catch (ProtocolViolation | DicomException | IOException | RuntimeException e) {
            if (e instanceof ProtocolViolation) {
                LOG.warnf("DIMSE association from %s aborted: %s", remote, e.getMessage());
            } else {
                LOG.errorf(e, "DIMSE association from %s aborted: internal error", remote);
            }
            association.abort();
            throw new DicomNetworkException("aborted: " + e.getMessage());
        }
    }

    /** The received data set behind a file meta header that names its transfer syntax, as a Part 10 file. */
    static byte[] part10(String sopClass, String sop, String transferSyntax, String callingAe, byte[] dataSet)
            throws DicomException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(dataSet.length + 512);
        DicomOutputStream meta = new DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian);
        new FileMetaInformation(sopClass, sop, transferSyntax, callingAe).getAttributeList().write(meta);
        meta.flush();
        out.writeBytes(dataSet);
        return out.toByteArray();
    }

    /** C-STORE-RSP with the outcome's status, and for a refusal its reason in Error Comment (0000,0902). */
    static byte[] response(String sopClass, String sop, int messageId, StoreOutcome outcome)
            throws DicomException, DicomNetworkException, IOException {
        byte[] plain = new CStoreResponseCommandMessage(sopClass, sop, messageId, CStoreStatus.of(outcome)).getBytes();
        if (!(outcome instanceof Rejected r)) return plain;
        AttributeList list = CompositeResponseHandler.getAttributeListFromCommandOrData(plain, TransferSyntax.ImplicitVRLittleEndian);
        Attribute comment = new LongStringAttribute(TagFromName.ErrorComment);
        comment.addValue(CStoreStatus.errorComment(r.reason(), sop));
        list.put(comment);
        return commandBytes(list);
    }

    /** A command set in implicit VR little endian, its Command Group Length (0000,0000) recomputed. */
    static byte[] commandBytes(AttributeList list) throws DicomException, IOException {
        AttributeList rest = new AttributeList();
        rest.putAll(list);
        rest.remove(COMMAND_GROUP_LENGTH);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        rest.write(new DicomOutputStream(body, null, TransferSyntax.ImplicitVRLittleEndian));
        AttributeList head = new AttributeList();
        Attribute length = new UnsignedLongAttribute(COMMAND_GROUP_LENGTH);
        length.addValue(body.size());
        head.put(length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head.write(new DicomOutputStream(out, null, TransferSyntax.ImplicitVRLittleEndian));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** A request the sender got wrong; answered by A-ABORT. */
    private static final class ProtocolViolation extends Exception {
        ProtocolViolation(String message) {
            super(message);
        }
    }

    /**
     * One request message as PixelMed's association delivers it, PDU by PDU: the command, then its data set
     * (kept as the bytes that came, up to the size limit, never parsed here). The base class is PixelMed's
     * public way into an association's P-DATA; its own accumulation (copying the whole data set per
     * fragment, then parsing it) is replaced.
     */
    private static final class Request extends CompositeResponseHandler {
        private final long maxDataBytes;
        private final ByteArrayOutputStream commandBytes = new ByteArrayOutputStream();
        private AttributeList command;
        private byte contextId;
        private ByteArrayOutputStream data = new ByteArrayOutputStream();
        private long dataBytes;
        private String violation;

        Request(long maxDataBytes) {
            this.maxDataBytes = maxDataBytes;
        }

        boolean allowsData() {
            return allowData;
        }

        boolean tooLarge() {
            return data == null;
        }

        @Override
        public void sendPDataIndication(PDataPDU pdu, Association association) throws DicomNetworkException, DicomException, IOException {
            for (Object o : pdu.getPDVList()) {
                PresentationDataValue pdv = (PresentationDataValue) o;
                if (pdv.isCommand()) {
                    if (command != null) {
                        fail("a second command before the data set of the first");
                        return;
                    }
                    commandBytes.writeBytes(pdv.getValue());
                    if (pdv.isLastFragment()) {
                        contextId = pdv.getPresentationContextID();
                        try {
                            evaluateStatusAndSetSuccess(getAttributeListFromCommandOrData(commandBytes.toByteArray(),
                                    TransferSyntax.ImplicitVRLittleEndian));
                        } catch (DicomException | IOException e) {
                            fail("unreadable command set: " + e.getMessage());
                            return;
                        }
                    }
                } else if (command == null || !allowData || pdv.getPresentationContextID() != contextId) {
                    fail("a data set fragment without a command announcing it on its presentation context");
                    return;
                } else {
                    byte[] value = pdv.getValue();
                    dataBytes += value.length;
                    if (data != null && dataBytes > maxDataBytes) data = null; // read on to the end, keep nothing
                    if (data != null) data.writeBytes(value);
                    if (pdv.isLastFragment()) setDone(true);
                }
            }
        }

        /** The base class' hook for a complete command: here a request's. Done, unless a data set follows. */
        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            command = list;
            allowData = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.CommandDataSetType, NO_DATA_SET) != NO_DATA_SET;
            if (!allowData) setDone(true);
        }

        private void fail(String why) {
            violation = why;
            setDone(true);
        }
    }
}
