package dev.ich.core.dicom;

/** One decoded axial slice: its header row, how to interpret its pixels, and the stored values. */
public record DicomSlice(DicomHeader header, PixelAttributes attributes, StoredPixels pixels) {
}
