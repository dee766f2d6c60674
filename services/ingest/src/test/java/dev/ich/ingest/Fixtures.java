package dev.ich.ingest;

import dev.ich.core.dicom.DicomEdit;
import dev.ich.core.dicom.DicomReadException;
import dev.ich.core.dicom.DicomReader;
import dev.ich.core.dicom.DicomRewriter;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import org.eclipse.microprofile.config.ConfigProvider;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Phantom studies (one seed per test, so tests sharing one bucket never share a UID), pydicom's real
 * test files, and STOW-RS bodies built by hand the way a client would.
 */
public final class Fixtures {
    public static final String BOUNDARY = "ich-test-boundary-7d1f";
    public static final String STOW_TYPE = "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;
    public static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private Fixtures() {
    }

    /** A small phantom study: 4 slices of 128 x 128 pixels. */
    public static PhantomSet study(long seed) {
        try {
            Path dir = Files.createTempDirectory("ich-ingest-phantoms-" + seed);
            return new PhantomGenerator(PhantomOptions.of(1, seed).withSlicesPerStudy(4).withSize(128)).generate(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(SliceTruth slice) {
        return bytes(slice.file());
    }

    public static byte[] pydicom(String name) {
        return bytes(PYDICOM.resolve(name));
    }

    /** De-identification as the running service does it: the %test profile's key and the default options. */
    public static Deidentifier deidentifier() {
        return new Deidentifier(ConfigProvider.getConfig().getValue("ich.ingest.deidentify.key", String.class));
    }

    /** What ingest stores for an instance it was sent: its de-identified form (de-identification is on). */
    public static byte[] stored(byte[] sent) {
        try {
            String patientId = DicomReader.create().readHeader(sent, "sent.dcm").patientId();
            return deidentifier().deidentify(sent, patientId);
        } catch (DicomReadException e) {
            throw new IllegalStateException("cannot de-identify a test instance: " + e.getMessage(), e);
        }
    }

    public static byte[] stored(SliceTruth slice) {
        return stored(bytes(slice));
    }

    /**
     * The identifiers of one study as the real RSNA stage_2_train files carry them instead of UIDs:
     * SOPInstanceUID {@code ID_} + 9 hex digits (ID_000012eaf), StudyInstanceUID and SeriesInstanceUID
     * {@code ID_} + 10 (ID_1e4b0b9b64), PatientID {@code ID_} + 8 (ID_9a4bf6a2). Derived from a seed, so
     * tests sharing one bucket never share an id.
     */
    public record RsnaIds(String study, String series, String patient, long seed) {
        public static RsnaIds of(long seed) {
            return new RsnaIds(String.format("ID_%010x", 0x1e00000000L + seed), String.format("ID_%010x", 0x0400000000L + seed),
                    String.format("ID_%08x", 0x9a000000L + seed), seed);
        }

        public String sop(int slice) {
            return String.format("ID_%09x", seed * 0x100 + slice);
        }
    }

    /** A real Part 10 file: the phantom slice with its UIDs and PatientID replaced by RSNA-style ids. */
    public static byte[] rsna(SliceTruth slice, RsnaIds ids, String sop) {
        return rewritten(bytes(slice), Map.of("StudyInstanceUID", ids.study(), "SeriesInstanceUID", ids.series(),
                "SOPInstanceUID", sop, "PatientID", ids.patient()));
    }

    /** The instance with attributes set (by DICOM keyword) through core's rewriter, which writes a fresh meta header. */
    public static byte[] rewritten(byte[] instance, Map<String, String> replace) {
        try {
            return DicomRewriter.create().rewrite(instance, new DicomEdit(Set.of(), Set.of(), replace, false));
        } catch (DicomReadException e) {
            throw new IllegalStateException("cannot rewrite a phantom slice: " + e.getMessage(), e);
        }
    }

    public record Part(String contentType, byte[] body) {
        public static Part dicom(byte[] body) {
            return new Part("application/dicom", body);
        }
    }

    /** A multipart/related body with {@link #BOUNDARY}, each part with its Content-Type. */
    public static byte[] multipart(List<Part> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: " + p.contentType() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p.body());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
