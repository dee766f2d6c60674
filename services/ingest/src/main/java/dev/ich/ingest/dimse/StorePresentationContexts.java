package dev.ich.ingest.dimse;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import dev.ich.core.dicom.TransferSyntaxes;

import java.util.LinkedList;
import java.util.List;

/**
 * Which presentation contexts the DIMSE door accepts. Abstract syntaxes: Verification, and every storage SOP
 * class PixelMed knows, so that an instance ich does not take (an MR slice, a report) is refused per instance
 * with a status and a reason instead of failing negotiation with none. Transfer syntaxes: those the rest of
 * ich decodes ({@link TransferSyntaxes#isSupported}); per context the first of them in the sender's order.
 * Senders list the encoding they hold first, and a sender may be unable to convert (storescu cannot
 * decompress JPEG), so taking its first choice means nothing is re-encoded in transit; Explicit VR Big Endian,
 * retired from the standard, only when nothing else is offered. The conformance table
 * is in docs/dicom.md.
 */
final class StorePresentationContexts implements PresentationContextSelectionPolicy {
    /** PS3.8 9.3.3.2 presentation context result/reason values. */
    private static final byte ACCEPTANCE = 0;
    private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
    private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber) {
        for (Object o : contexts) {
            PresentationContext context = (PresentationContext) o;
            String abstractSyntax = context.getAbstractSyntaxUID();
            if (!SOPClass.isVerification(abstractSyntax) && !SOPClass.isStorage(abstractSyntax)) {
                context.setResultReason(ABSTRACT_SYNTAX_NOT_SUPPORTED);
                continue;
            }
            List<String> offered = ((List<?>) context.getTransferSyntaxUIDs()).stream().map(String::valueOf)
                    .filter(TransferSyntaxes::isSupported).toList();
            String chosen = offered.stream().filter(ts -> !ts.equals(TransferSyntaxes.EXPLICIT_VR_BIG_ENDIAN)).findFirst()
                    .orElse(offered.isEmpty() ? null : offered.get(0));
            context.newTransferSyntaxUIDs();
            if (chosen == null) {
                context.setResultReason(TRANSFER_SYNTAXES_NOT_SUPPORTED);
            } else {
                context.addTransferSyntaxUID(chosen);
                context.setResultReason(ACCEPTANCE);
            }
        }
        return contexts;
    }

    @Override
    public LinkedList applyPresentationContextSelectionPolicy(LinkedList contexts, int associationNumber, int debugLevel) {
        return applyPresentationContextSelectionPolicy(contexts, associationNumber);
    }
}
