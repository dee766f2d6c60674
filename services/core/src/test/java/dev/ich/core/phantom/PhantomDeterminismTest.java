package dev.ich.core.phantom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PhantomDeterminismTest {
    private static final PhantomOptions TWO_STUDIES = PhantomOptions.of(2, 7L).withSlicesPerStudy(5);

    @Test
    void theSameSeedWritesByteIdenticalFilesWhateverTheThreadTiming(@TempDir Path first, @TempDir Path second) throws IOException {
        new PhantomGenerator(TWO_STUDIES).generate(first);
        new PhantomGenerator(TWO_STUDIES).generate(second);

        List<Path> files = relativeFiles(first);
        assertThat(files).hasSize(2 * 5 + 1).isEqualTo(relativeFiles(second));
        for (Path f : files) {
            assertThat(Files.readAllBytes(second.resolve(f))).as(f.toString()).isEqualTo(Files.readAllBytes(first.resolve(f)));
        }
    }

    @Test
    void anotherSeedGivesOtherPatientsOtherUidsAndOtherPixels() {
        PhantomGenerator a = new PhantomGenerator(TWO_STUDIES);
        PhantomGenerator b = new PhantomGenerator(new PhantomOptions(2, 8L, 5, TWO_STUDIES.positiveRate(), false, 512));

        assertThat(b.render(0, 2).hu()).isNotEqualTo(a.render(0, 2).hu());
        assertThat(Identifiers.studyInstanceUid(8L, 0)).isNotEqualTo(Identifiers.studyInstanceUid(7L, 0));
    }

    @Test
    void renderingInMemoryGivesTheSamePixelsEachTime() {
        PhantomGenerator g = new PhantomGenerator(TWO_STUDIES);
        assertThat(g.render(1, 3).hu()).isEqualTo(g.render(1, 3).hu());
    }

    private static List<Path> relativeFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
        }
    }
}
