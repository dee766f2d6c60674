package dev.ich.core.phantom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.CodeStringAttribute;
import com.pixelmed.dicom.DecimalStringAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.IntegerStringAttribute;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.ShortStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes one phantom slice as a CT Image Storage file (explicit VR little endian) with PixelMed. */
final class SliceFile {
    /** (0018,0060) KVP: missing from PixelMed's TagFromName. */
    private static final AttributeTag KVP = new AttributeTag(0x0018, 0x0060);

    private SliceFile() {
    }

    static void write(Path file, StudyPlan plan, int slice, short[] hu) throws IOException {
        try {
            AttributeList list = attributes(plan, slice, hu);
            FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "ICH_PHANTOMS");
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(hu.length * 2 + 2048);
            list.write(bytes, TransferSyntax.ExplicitVRLittleEndian, true, true);
            byte[] out = bytes.toByteArray();
            Files.write(file, slice == plan.shortSlice() ? shortenPixelData(out, hu.length * 2) : out);
        } catch (DicomException e) {
            throw new IOException("cannot encode phantom slice " + file + ": " + e.getMessage(), e);
        }
    }

    private static AttributeList attributes(StudyPlan plan, int slice, short[] hu) throws DicomException {
        AttributeList list = new AttributeList();
        Source source = plan.source();
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPClassUID), SOPClass.CTImageStorage);
        put(list, new UniqueIdentifierAttribute(TagFromName.SOPInstanceUID), plan.sopUid(slice));
        put(list, new UniqueIdentifierAttribute(TagFromName.StudyInstanceUID), plan.studyUid());
        put(list, new UniqueIdentifierAttribute(TagFromName.SeriesInstanceUID), plan.seriesUid());
        put(list, new CodeStringAttribute(TagFromName.Modality), "CT");
        put(list, new LongStringAttribute(TagFromName.PatientID), plan.patientId());
        put(list, new LongStringAttribute(TagFromName.Manufacturer), source.manufacturer);
        list.put(new ShortStringAttribute(TagFromName.StudyID)); // present but empty, as in the real data
        put(list, new IntegerStringAttribute(TagFromName.InstanceNumber), String.valueOf(slice + 1));
        double half = plan.fieldOfViewMm() / 2;
        put(list, new DecimalStringAttribute(TagFromName.ImagePositionPatient), ds(-half), ds(-half), ds(plan.z(slice)));
        put(list, new DecimalStringAttribute(TagFromName.ImageOrientationPatient), "1", "0", "0", "0", "1", "0");
        put(list, new DecimalStringAttribute(TagFromName.PixelSpacing), ds(plan.pixelMm()), ds(plan.pixelMm()));
        put(list, new DecimalStringAttribute(TagFromName.SliceThickness), ds(plan.spacingMm()));
        put(list, new DecimalStringAttribute(KVP), String.valueOf(plan.kvp()));
        put(list, new DecimalStringAttribute(TagFromName.WindowCenter), plan.windowCenter().toArray(String[]::new));
        put(list, new DecimalStringAttribute(TagFromName.WindowWidth), plan.windowWidth().toArray(String[]::new));
        put(list, new DecimalStringAttribute(TagFromName.RescaleIntercept), String.valueOf(source.rescaleIntercept));
        put(list, new DecimalStringAttribute(TagFromName.RescaleSlope), "1");
        put(list, new UnsignedShortAttribute(TagFromName.SamplesPerPixel), 1);
        put(list, new CodeStringAttribute(TagFromName.PhotometricInterpretation), "MONOCHROME2");
        put(list, new UnsignedShortAttribute(TagFromName.Rows), plan.size());
        put(list, new UnsignedShortAttribute(TagFromName.Columns), plan.size());
        put(list, new UnsignedShortAttribute(TagFromName.BitsAllocated), 16);
        put(list, new UnsignedShortAttribute(TagFromName.BitsStored), source.bitsStored);
        put(list, new UnsignedShortAttribute(TagFromName.HighBit), source.bitsStored - 1);
        put(list, new UnsignedShortAttribute(TagFromName.PixelRepresentation), source.pixelRepresentation);
        short[] stored = new short[hu.length];
        for (int i = 0; i < hu.length; i++) stored[i] = source.store(hu[i]);
        OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
        pixels.setValues(stored);
        list.put(pixels);
        return list;
    }

    private static void put(AttributeList list, Attribute a, String... values) throws DicomException {
        for (String v : values) a.addValue(v);
        list.put(a);
    }

    private static void put(AttributeList list, Attribute a, int value) throws DicomException {
        a.addValue(value);
        list.put(a);
    }

    private static String ds(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.6f", v);
        return s.length() > 16 ? s.substring(0, 16) : s;
    }

    /**
     * Keeps only half of the pixel values: PixelData is the last element, so cutting its value and
     * rewriting its 32-bit length leaves a well-formed file whose PixelData is short, like the real one.
     */
    static byte[] shortenPixelData(byte[] file, int valueLength) {
        int header = file.length - valueLength - 12;
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getShort(header) != (short) 0x7FE0 || b.getShort(header + 2) != 0x0010 || b.getInt(header + 8) != valueLength)
            throw new IllegalStateException("PixelData is not the last element; cannot shorten it");
        int kept = (valueLength / 2) & ~1;
        b.putInt(header + 8, kept);
        byte[] out = new byte[header + 12 + kept];
        System.arraycopy(file, 0, out, 0, out.length);
        return out;
    }
}
