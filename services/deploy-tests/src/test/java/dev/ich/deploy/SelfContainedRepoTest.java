package dev.ich.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A clone is complete on its own: no file points at the workplace's notes beside the repository (they are not in a
 * clone), and the architecture and the reference experiment are where those pointers now go.
 */
class SelfContainedRepoTest {

    /** Files outside the repository that a reader of a clone cannot open. */
    private static final Pattern OUTSIDE = Pattern.compile("\\.\\./shared|/work/shared|seed-facts|(?<![\\w-])design\\.md|(?<![\\w-])stack\\.md|(?<![\\w-])style\\.md");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", ".ich", "node_modules", ".idea");
    private static final Pattern TEXT = Pattern.compile(".*\\.(java|md|xml|yaml|yml|tpl|json|properties|py|sh|txt|html|qute)$|ich|run|Dockerfile.*");

    @Test
    void noFileCitesNotesOutsideTheRepository() throws IOException {
        List<String> hits = new ArrayList<>();
        try (Stream<Path> files = walk()) {
            files.forEach(f -> {
                try {
                    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                    for (int i = 0; i < lines.size(); i++) {
                        if (OUTSIDE.matcher(lines.get(i)).find()) hits.add(Repo.HOME.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                } catch (IOException notText) {
                    // binary or not UTF-8: cannot cite anything a person reads
                }
            });
        }
        assertThat(hits).as("cite docs/architecture.md, docs/reference-experiment.md or docs/development.md instead").isEmpty();
    }

    @Test
    void theArchitectureAndTheReferenceExperimentAreLinkedFromTheReadme() throws IOException {
        String readme = Files.readString(Repo.HOME.resolve("README.md"));
        assertThat(readme).contains("(docs/architecture.md)", "(docs/reference-experiment.md)");
        assertThat(Repo.HOME.resolve("docs/architecture.md")).isRegularFile();
        assertThat(Repo.HOME.resolve("docs/reference-experiment.md")).isRegularFile();
    }

    private static Stream<Path> walk() throws IOException {
        return Files.walk(Repo.HOME)
                .filter(p -> Repo.HOME.relativize(p).toString().isEmpty()
                        || Stream.of(Repo.HOME.relativize(p).toString().split("/")).noneMatch(SKIPPED_DIRS::contains))
                .filter(Files::isRegularFile)
                .filter(p -> TEXT.matcher(p.getFileName().toString()).matches())
                .filter(p -> !p.getFileName().toString().equals("SelfContainedRepoTest.java"));
    }
}
