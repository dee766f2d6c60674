package dev.ich.core.dicom.results;

import dev.ich.core.event.StudyPredicted.KeySlice;
import dev.ich.core.label.Label;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.Objects;

/**
 * A key slice with the model's Grad-CAM heatmap blended over it, as a Secondary Capture Image (RGB, 8 bits) in its
 * own series of the study, the one series all captures of one study's triage by one model share. Single-frame SC
 * because every PACS and viewer shows it; it references the key slice it shows (Source Image Sequence) and says
 * what it is in Derivation Description and Image Comments, never in burned-in text.
 */
public final class HeatmapCapture {
    public static final String SOP_CLASS = "1.2.840.10008.5.1.4.1.1.7"; // Secondary Capture Image Storage
    /** "Other": a derived picture, kept apart from the CT series by viewers that hang series by modality. */
    public static final String MODALITY = "OT";
    public static final int SERIES_NUMBER = 9902;
    private static final int MAX_SIDE = 65535; // Rows and Columns are US

    private HeatmapCapture() {
    }

    /** A capture without times: the same inputs give the same bytes (Content Date/Time are optional here). */
    public static ResultObject write(SourceStudy study, KeySlice slice, BufferedImage overlay, ResultEquipment equipment,
                                     int instanceNumber) {
        return write(study, slice, overlay, equipment, instanceNumber, null);
    }

    /**
     * A capture of one key slice.
     *
     * @param overlay        the slice with the heatmap blended over it, as it should be shown (any image type; read as sRGB)
     * @param instanceNumber its place among the study's captures, from 1
     * @param createdAt      when the result was made (the prediction's time), for Content and Instance Creation Date/Time;
     *                       null leaves them out
     * @throws IllegalArgumentException for a missing or empty overlay, a key slice without its UIDs or with an unknown
     *                                  label, or an instance number below 1
     */
    public static ResultObject write(SourceStudy study, KeySlice slice, BufferedImage overlay, ResultEquipment equipment,
                                     int instanceNumber, Instant createdAt) {
        Objects.requireNonNull(study, "study");
        Objects.requireNonNull(equipment, "equipment");
        Label label = check(slice, overlay, instanceNumber);
        String series = ResultUids.captureSeries(study.studyInstanceUid(), equipment.modelName(), equipment.modelVersion());
        String sop = ResultUids.captureInstance(study.studyInstanceUid(), equipment.modelName(), equipment.modelVersion(),
                slice.sopInstanceUid(), label.csvName());
        String what = "Grad-CAM heatmap of " + equipment.modelLabel() + " for " + label.csvName() + ", blended over the key slice";

        DataSet ds = new DataSet();
        ResultModules.sopCommon(ds, SOP_CLASS, sop, createdAt);
        ResultModules.patientAndStudy(ds, study);
        ds.put("Modality", MODALITY).put("SeriesInstanceUID", series).put("SeriesNumber", SERIES_NUMBER)
                .put("SeriesDescription", "ich ICH heatmaps (" + equipment.modelLabel() + ")")
                // The head is not a paired body part: saying so settles General Series' conditional Laterality.
                .put("BodyPartExamined", "HEAD");
        ResultModules.generalEquipment(ds, equipment);
        ResultModules.contributingEquipment(ds, equipment, what, createdAt);
        ds.put("ConversionType", "WSD").put("SecondaryCaptureDeviceManufacturer", ResultEquipment.MANUFACTURER)
                .put("SecondaryCaptureDeviceManufacturerModelName", ResultEquipment.MANUFACTURER)
                .put("SecondaryCaptureDeviceSoftwareVersions", equipment.softwareVersion());
        ds.put("InstanceNumber", instanceNumber).put("PatientOrientation").put("ImageType", "DERIVED", "SECONDARY")
                .put("DerivationDescription", what)
                .put("ImageComments", "ich " + equipment.modelLabel() + ": " + label.csvName() + " probability "
                        + SrItem.decimalString(slice.probability()) + " on this slice")
                .put("BurnedInAnnotation", "NO")
                .sequence("SourceImageSequence", new DataSet().put("ReferencedSOPClassUID", slice.sopClassUid())
                        .put("ReferencedSOPInstanceUID", slice.sopInstanceUid())
                        .code("PurposeOfReferenceCodeSequence", TriageCodes.SOURCE_FOR_IMAGE_PROCESSING));
        if (createdAt != null) {
            ds.put("ContentDate", ResultModules.DA.format(createdAt)).put("ContentTime", ResultModules.TM.format(createdAt))
                    .put("DateOfSecondaryCapture", ResultModules.DA.format(createdAt))
                    .put("TimeOfSecondaryCapture", ResultModules.TM.format(createdAt));
        }
        pixels(ds, overlay);
        return new ResultObject(SOP_CLASS, study.studyInstanceUid(), series, sop, MODALITY, ds.part10());
    }

    private static Label check(KeySlice slice, BufferedImage overlay, int instanceNumber) {
        if (overlay == null || overlay.getWidth() < 1 || overlay.getHeight() < 1) {
            throw new IllegalArgumentException("the heatmap overlay is empty (" + (overlay == null ? "none"
                    : overlay.getWidth() + " x " + overlay.getHeight()) + "): render the key slice with its heatmap first");
        }
        if (overlay.getWidth() > MAX_SIDE || overlay.getHeight() > MAX_SIDE) {
            throw new IllegalArgumentException("the heatmap overlay is " + overlay.getWidth() + " x " + overlay.getHeight()
                    + " pixels; DICOM Rows and Columns are at most " + MAX_SIDE);
        }
        if ((long) overlay.getWidth() * overlay.getHeight() * 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the heatmap overlay of " + overlay.getWidth() + " x " + overlay.getHeight()
                    + " pixels is too large for one image");
        }
        if (instanceNumber < 1) throw new IllegalArgumentException("instance number " + instanceNumber + ": captures count from 1");
        if (slice == null || blank(slice.sopInstanceUid()) || blank(slice.sopClassUid()) || blank(slice.label())) {
            throw new IllegalArgumentException("the key slice needs its SOP Instance UID, SOP Class UID and label"
                    + " (the capture references it and names the label): " + slice);
        }
        return Label.fromCsvName(slice.label()).orElseThrow(() -> new IllegalArgumentException("key slice label \""
                + slice.label() + "\" is not a label ich knows"));
    }

    /** Image Pixel: RGB, 8 bits, colour-by-pixel (Planar Configuration 0), row by row from the top left. */
    private static void pixels(DataSet ds, BufferedImage overlay) {
        int w = overlay.getWidth();
        int h = overlay.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0, o = 0; y < h; y++) {
            overlay.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                rgb[o++] = (byte) (p >> 16);
                rgb[o++] = (byte) (p >> 8);
                rgb[o++] = (byte) p;
            }
        }
        ds.putBinary("SamplesPerPixel", 3).put("PhotometricInterpretation", "RGB").putBinary("PlanarConfiguration", 0)
                .putBinary("Rows", h).putBinary("Columns", w).putBinary("BitsAllocated", 8).putBinary("BitsStored", 8)
                .putBinary("HighBit", 7).putBinary("PixelRepresentation", 0).putBinary("PixelData", rgb);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
