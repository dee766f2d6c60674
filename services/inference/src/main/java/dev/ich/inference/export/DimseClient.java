package dev.ich.inference.export;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.SetOfDicomFiles;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PresentationContextListFactory;

import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * C-STORE SCU on PixelMed's association API rather than {@code StorageSOPClassSCU}'s convenience constructors: those
 * report only counts, and the export needs each object's own response status (and error comment) to decide between
 * stored, retry and give up. One association per batch; plain TCP (no TLS yet).
 */
final class DimseClient implements DestinationClient {
    private final String host;
    private final int port;
    private final String calledAeTitle;
    private final String callingAeTitle;
    private final Duration timeout;
    private final ScheduledExecutorService watchdog;

    DimseClient(String host, int port, String calledAeTitle, String callingAeTitle, Duration timeout, ScheduledExecutorService watchdog) {
        this.host = host;
        this.port = port;
        this.calledAeTitle = calledAeTitle;
        this.callingAeTitle = callingAeTitle;
        this.timeout = timeout;
        this.watchdog = watchdog;
    }

    @Override
    public String target() {
        return calledAeTitle + "@" + host + ":" + port;
    }

    @Override
    public List<Delivery> send(List<ExportObject> batch) {
        Association association;
        try {
            SetOfDicomFiles offered = new SetOfDicomFiles();
            // Only the UIDs are read from these entries (the "file name" is never opened): what to propose.
            for (ExportObject o : batch) offered.add(o.record().objectKey(), o.sopClassUid(), o.sopInstanceUid(), o.transferSyntaxUid());
            LinkedList<?> contexts = PresentationContextListFactory.createNewPresentationContextList(offered, 0);
            association = AssociationFactory.createNewAssociation(host, port, calledAeTitle, callingAeTitle, contexts, null, false);
        } catch (DicomNetworkException e) {
            return all(batch, associationFailure(e));
        } catch (Exception e) {
            return all(batch, Delivery.unreachable("cannot reach " + target() + ": " + e));
        }
        AtomicBoolean aborted = new AtomicBoolean();
        // PixelMed sets no read timeout: a peer that accepts and then falls silent would hold the sender forever.
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            aborted.set(true);
            try {
                association.abort();
            } catch (DicomNetworkException ignored) {
                // the socket is closed either way
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<Delivery> out = new ArrayList<>();
        try {
            for (ExportObject o : batch) {
                out.add(store(association, o));
            }
            association.release();
        } catch (Exception e) {
            String why = aborted.get() ? "no answer from " + target() + " within " + timeout.toSeconds() + " s, association aborted"
                    : "the association with " + target() + " broke off: " + e.getMessage();
            while (out.size() < batch.size()) out.add(Delivery.unreachable(why));
            try {
                association.abort();
            } catch (DicomNetworkException ignored) {
                // already gone
            }
        } finally {
            guard.cancel(false);
        }
        return out;
    }

    /**
     * A rejection the peer calls permanent (unknown called or calling AE title, for one) is a refusal: counted, as
     * a configuration fixed on either side lets the next attempt pass. A transient one (congestion, local limit) is a
     * busy destination; an abort or a closed connection, one that cannot be reached.
     */
    private Delivery associationFailure(DicomNetworkException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        if (message.contains("A-ASSOCIATE-RJ") && message.contains("rejected-permanent")) {
            return Delivery.refused("A-ASSOCIATE-RJ", target() + " rejected the association: " + message);
        }
        if (message.contains("A-ASSOCIATE-RJ")) {
            return Delivery.unreachable(target() + " is busy, it rejected the association for now: " + message);
        }
        return Delivery.unreachable("cannot reach " + target() + ": " + message);
    }

    private Delivery store(Association association, ExportObject o) throws Exception {
        byte context;
        try {
            context = association.getSuitablePresentationContextID(o.sopClassUid(), o.transferSyntaxUid());
        } catch (DicomNetworkException exact) {
            try {
                context = association.getSuitablePresentationContextID(o.sopClassUid());
            } catch (DicomNetworkException none) {
                return Delivery.permanent("no presentation context", target() + " accepted no presentation context for SOP class "
                        + o.sopClassUid() + ": it does not store this kind of object");
            }
        }
        String negotiated = association.getTransferSyntaxForPresentationContextID(context);
        if (!negotiated.equals(o.transferSyntaxUid()) && TransferSyntax.isEncapsulated(o.transferSyntaxUid())) {
            return Delivery.permanent("no presentation context", target() + " does not accept transfer syntax " + o.transferSyntaxUid()
                    + " for SOP class " + o.sopClassUid() + ", and compressed pixel data cannot be converted to " + negotiated);
        }
        StatusHandler answer = new StatusHandler();
        association.setReceivedDataHandler(answer);
        association.send(context, new CStoreRequestCommandMessage(o.sopClassUid(), o.sopInstanceUid()).getBytes(), null);
        AttributeList dataset = o.attributes();
        dataset.removeGroupLengthAttributes();
        dataset.removeMetaInformationHeaderAttributes();
        try (OutputStream out = association.getAssociationOutputStream(context)) {
            DicomOutputStream dicom = new DicomOutputStream(out, null, negotiated);
            dataset.write(dicom);
            dicom.flush();
        }
        association.waitForCommandPDataPDUs();
        if (answer.status < 0) return Delivery.unreachable(target() + " sent no C-STORE response");
        return StoreStatus.classify(answer.status, answer.comment);
    }

    private static List<Delivery> all(List<ExportObject> batch, Delivery d) {
        return batch.stream().map(o -> d).toList();
    }

    /** Keeps the response's Status and Error Comment instead of only PixelMed's success flag. */
    private static final class StatusHandler extends CompositeResponseHandler {
        volatile int status = -1;
        volatile String comment = "";

        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, 0xFFFF);
            comment = Attribute.getSingleStringValueOrEmptyString(list, TagFromName.ErrorComment);
            success = StoreStatus.stored(status);
        }
    }
}
