package dev.ich.labeling.slices;

import dev.ich.core.clean.HuImage;
import dev.ich.core.clean.Window;
import dev.ich.core.clean.Windows;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageException;
import dev.ich.labeling.table.SliceTable;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Any slice in any window, from its raw DICOM (not the cleaned PNG): what a radiologist flips through,
 * dropped slices included. The same core code as cleaning: pixel fix, rescale to HU, window.
 */
@ApplicationScoped
public class SliceImages {
    static {
        System.setProperty("java.awt.headless", "true"); // scaling uses AWT; a server has no display
    }

    private final DicomReader reader = DicomReader.create();

    @Inject
    SliceTable table;

    @Inject
    ObjectStore store;

    /** The slice's row fields this class needs, or a 404. */
    Map<String, Object> row(String uid) {
        List<Map<String, Object>> rows = table.query("SELECT uid, fname, cleaned_key, error_reason FROM " + SliceTable.TABLE
                + " WHERE uid = ?", List.of(uid));
        if (rows.isEmpty()) throw ApiProblem.notFound("no slice " + uid + " in the metadata table");
        return rows.get(0);
    }

    public byte[] windowed(String uid, String windowName, Integer size) {
        // "bone" is what people type; the notebooks call that window brain_bone
        Window window = Windows.byName("bone".equals(windowName) ? Windows.BRAIN_BONE.name() : windowName).orElseThrow(() -> ApiProblem.badRequest("unknown window '" + windowName
                + "'; windows: " + Windows.ALL.stream().map(Window::name).toList()));
        if (size != null && (size < 16 || size > 1024)) throw ApiProblem.badRequest("size must be 16..1024 pixels, not " + size);
        Map<String, Object> row = row(uid);
        Object key = row.get("fname");
        if (key == null) throw ApiProblem.notFound("slice " + uid + " has no raw object key in its row");
        byte[] dicom;
        try {
            dicom = store.get(key.toString());
        } catch (StorageException e) {
            throw ApiProblem.unavailable("StorageUnavailable", "cannot read " + key + " from object storage: " + e.getMessage());
        }
        HuImage hu;
        try {
            hu = HuImage.of(reader.read(dicom, key.toString()));
        } catch (DicomReadException e) {
            throw new ApiProblem(422, e.problem().name(), "slice " + uid + " cannot be decoded: " + e.problem() + ": " + e.reason());
        }
        byte[] png = hu.windowedPng(window);
        return size == null ? png : scaled(png, size);
    }

    /** Bytes of the slice's cleaned PNG (kept slices only). */
    public byte[] cleaned(String uid) {
        Object key = row(uid).get("cleaned_key");
        if (key == null) throw ApiProblem.notFound("slice " + uid + " was not kept by cleaning, so it has no cleaned image");
        try {
            return store.get(key.toString());
        } catch (StorageException e) {
            throw ApiProblem.unavailable("StorageUnavailable", "cannot read " + key + " from object storage: " + e.getMessage());
        }
    }

    /** Scales the longer side to {@code size}, bilinear. */
    static byte[] scaled(byte[] png, int size) {
        try {
            BufferedImage in = dev.ich.core.augment.PlanarImage.readPng(png);
            double f = (double) size / Math.max(in.getWidth(), in.getHeight());
            int w = Math.max(1, (int) Math.round(in.getWidth() * f)), h = Math.max(1, (int) Math.round(in.getHeight() * f));
            BufferedImage out = new BufferedImage(w, h, in.getType() == 0 ? BufferedImage.TYPE_BYTE_GRAY : in.getType());
            var g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(in, 0, 0, w, h, null);
            g.dispose();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(out, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
