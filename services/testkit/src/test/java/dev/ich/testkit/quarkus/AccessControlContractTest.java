package dev.ich.testkit.quarkus;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A service's access-control.txt as AccessControlContract reads it. */
class AccessControlContractTest {
    @Test
    void eachLineIsAnOperationAndItsRolesAndCommentsAreSkipped() {
        Map<String, Set<String>> table = AccessControlContract.parse(List.of(
                "# who may call what",
                "",
                "POST /reprocess        ich-curator",
                "GET /reprocess/{id}    ich-curator ich-reader   # a comment after the roles"));

        assertThat(table).containsExactly(
                Map.entry("POST /reprocess", Set.of("ich-curator")),
                Map.entry("GET /reprocess/{id}", Set.of("ich-curator", "ich-reader")));
    }

    @Test
    void anOperationWithoutRolesOrListedTwiceIsRefused() {
        assertThatThrownBy(() -> AccessControlContract.parse(List.of("GET /slices")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /slices");
        assertThatThrownBy(() -> AccessControlContract.parse(List.of("GET /slices ich-reader", "GET /slices ich-curator")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }
}
