package dev.ich.trainer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The build's identity as model.json's lineage records it: what the build said, or null. */
class BuildInfoTest {

    @Test
    void whatTheBuildDidNotSayIsNullNeverAGuess() {
        assertThat(BuildInfo.of("0.1.0-SNAPSHOT", "")).isEqualTo(new BuildInfo("0.1.0-SNAPSHOT", null));
        assertThat(BuildInfo.of("${project.version}", "${ich.git.commit}")).as("unfiltered").isEqualTo(new BuildInfo(null, null));
        assertThat(BuildInfo.of(null, null)).isEqualTo(new BuildInfo(null, null));
        assertThat(BuildInfo.of("0.1.0", "not a commit")).isEqualTo(new BuildInfo("0.1.0", null));
        String sha = "30b3c69f0e4ad1c1a2b3c4d5e6f708192a3b4c5d";
        assertThat(BuildInfo.of(" 0.1.0 ", sha.toUpperCase() + "\n")).isEqualTo(new BuildInfo("0.1.0", sha));
    }

    @Test
    void theJarsOwnResourceIsFilteredWithTheProjectVersion() {
        BuildInfo current = BuildInfo.current();
        assertThat(current.version()).as("filtered from ${project.version}").isNotNull().matches("\\d+\\.\\d+.*");
        assertThat(current.commit() == null || current.commit().matches("[0-9a-f]{40}")).isTrue();
    }
}
