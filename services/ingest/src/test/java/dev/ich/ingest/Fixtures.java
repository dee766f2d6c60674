package dev.ich.ingest;

import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Phantom studies (one seed per test, so tests sharing one bucket never share a UID), pydicom's real
 * test files, and STOW-RS bodies built by hand the way a client would.
 */
final class Fixtures {
    static final String BOUNDARY = "ich-test-boundary-7d1f";
    static final String STOW_TYPE = "multipart/related; type=\"application/dicom\"; boundary=" + BOUNDARY;
    static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    private Fixtures() {
    }

    /** A small phantom study: 4 slices of 128 x 128 pixels. */
    static PhantomSet study(long seed) {
        try {
            Path dir = Files.createTempDirectory("ich-ingest-phantoms-" + seed);
            return new PhantomGenerator(PhantomOptions.of(1, seed).withSlicesPerStudy(4).withSize(128)).generate(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(SliceTruth slice) {
        return bytes(slice.file());
    }

    static byte[] pydicom(String name) {
        return bytes(PYDICOM.resolve(name));
    }

    record Part(String contentType, byte[] body) {
        static Part dicom(byte[] body) {
            return new Part("application/dicom", body);
        }
    }

    /** A multipart/related body with {@link #BOUNDARY}, each part with its Content-Type. */
    static byte[] multipart(List<Part> parts) {
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
