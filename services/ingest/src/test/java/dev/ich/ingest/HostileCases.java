package dev.ich.ingest;

import dev.ich.core.phantom.HostileDicom;
import dev.ich.core.phantom.HostileDicom.Instance;
import dev.ich.core.phantom.HostileDicom.Nesting;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.Quirk;
import dev.ich.core.phantom.SliceTruth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The red team's instances, each with the refusal every door must give it: the code, a fragment of the reason,
 * and whether the header was read (then the refusal names the instance's UIDs).
 */
public final class HostileCases {
    public record Case(String name, Instance instance, String transferSyntax, Rejection code, String reason, boolean named) {
        public byte[] bytes() {
            return instance.bytes();
        }
    }

    private HostileCases() {
    }

    /** Every case, with UIDs derived from {@code seed} (distinct seeds, distinct UIDs). */
    public static List<Case> all(long seed) {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("deflated data set with a 1 GiB element", HostileDicom.deflatedHugeElement(seed, 1024),
                HostileDicom.DEFLATED, Rejection.InflationBudget, "inflates beyond", false));
        cases.add(new Case("deflated PixelData of 1 GiB for 512 x 512", HostileDicom.deflatedPixelBomb(seed + 1, 1024),
                HostileDicom.DEFLATED, Rejection.InflationBudget, "decompression bomb", false));
        cases.add(new Case("10,000 nested sequences, explicit VR", HostileDicom.nestedSequences(seed + 2, 10_000, Nesting.EXPLICIT_SQ, false),
                HostileDicom.EXPLICIT_VR_LITTLE_ENDIAN, Rejection.TooDeep, "nested deeper than 64", false));
        cases.add(new Case("10,000 nested sequences, implicit VR", HostileDicom.nestedSequences(seed + 3, 10_000, Nesting.IMPLICIT_SQ, true),
                HostileDicom.IMPLICIT_VR_LITTLE_ENDIAN, Rejection.TooDeep, "nested deeper than 64", false));
        cases.add(new Case("RLE frame larger than Rows x Columns", HostileDicom.rleLargerThanDeclared(seed + 4, 1024),
                HostileDicom.RLE, Rejection.InflationBudget, "decodes to more than", true));
        cases.add(new Case("JPEG frame header of 30000 x 30000", HostileDicom.jpegLargerThanDeclared(seed + 5, 30_000, 30_000),
                HostileDicom.JPEG_BASELINE, Rejection.InflationBudget, "30000 x 30000", true));
        cases.add(new Case("an MR slice", HostileDicom.ct(seed + 6, 32, 32, "MR"),
                HostileDicom.EXPLICIT_VR_LITTLE_ENDIAN, Rejection.ModalityNotAllowed, "Modality \"MR\" is not accepted", true));
        return cases;
    }

    /** The phantom generator's SHORT_PIXEL_DATA slice (the RSNA set's one corrupt file), as its own instance. */
    public static SliceTruth shortPixelData(long seed) {
        try {
            Path dir = Files.createTempDirectory("ich-ingest-short-" + seed);
            return new PhantomGenerator(PhantomOptions.of(1, seed).withSlicesPerStudy(4).withSize(128).withShortPixelData(true))
                    .generate(dir).slices().stream().filter(s -> s.has(Quirk.SHORT_PIXEL_DATA)).findFirst().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
