package dev.ich.ingest.dimse;

import dev.ich.ingest.DimsePortResource;
import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.PresentationContext;

import java.io.OutputStream;
import java.util.LinkedList;

/**
 * A C-STORE sender on PixelMed's association API, for what storescu will not send (it parses every file first):
 * a data set that is garbage or cut short, a command the receiver does not serve.
 */
final class PixelMedScu {
    static final String CALLING_AE = "ICH-TEST-SENDER";

    /** The C-STORE-RSP's Status (0000,0900) and Error Comment (0000,0902), null when absent. */
    record Answer(int status, String errorComment) {
    }

    private PixelMedScu() {
    }

    /** One C-STORE of {@code dataSet} (bytes as they go on the wire, in {@code transferSyntax}) in its own association. */
    static Answer store(String sopClass, String sop, String transferSyntax, byte[] dataSet) throws Exception {
        Association association = open(sopClass, transferSyntax);
        try {
            byte context = association.getSuitablePresentationContextID(sopClass, transferSyntax);
            ResponseReader reader = new ResponseReader();
            association.setReceivedDataHandler(reader);
            association.send(context, new CStoreRequestCommandMessage(sopClass, sop).getBytes(), null);
            try (OutputStream out = association.getAssociationOutputStream(context)) {
                out.write(dataSet);
            }
            association.waitForCommandPDataPDUs();
            return new Answer(reader.getStatus(), Attribute.getSingleStringValueOrNull(reader.response, TagFromName.ErrorComment));
        } finally {
            association.release();
        }
    }

    /**
     * Sends {@code command} (a command set, no data set) on a storage presentation context and waits for the
     * answer; returns normally only if one came.
     */
    static void command(String sopClass, String transferSyntax, byte[] command) throws Exception {
        Association association = open(sopClass, transferSyntax);
        byte context = association.getSuitablePresentationContextID(sopClass, transferSyntax);
        association.setReceivedDataHandler(new ResponseReader());
        association.send(context, command, null);
        association.waitForCommandPDataPDUs();
        association.release();
    }

    private static Association open(String sopClass, String transferSyntax) throws Exception {
        LinkedList<PresentationContext> contexts = new LinkedList<>();
        contexts.add(new PresentationContext((byte) 1, sopClass, transferSyntax));
        return AssociationFactory.createNewAssociation("127.0.0.1", DimsePortResource.port, "ICH", CALLING_AE, contexts,
                null, false);
    }

    /** Keeps the response command; PixelMed's base class assembles it from the PDUs. */
    private static final class ResponseReader extends CompositeResponseHandler {
        private AttributeList response;

        @Override
        protected void evaluateStatusAndSetSuccess(AttributeList list) {
            response = list;
            status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, 0xFFFF);
            success = status == 0;
            setDone(true);
        }
    }
}
