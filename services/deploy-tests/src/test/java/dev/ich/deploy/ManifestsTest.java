package dev.ich.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strict parser itself: a misplaced or misspelt field, or an unknown kind, is an error with its path. */
class ManifestsTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: x}
            spec:
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  containers:
                    - name: x
                      image: x
                      %s
            """;

    @Test
    void aKnownFieldParses() {
        assertThat(Manifests.parse(DEPLOYMENT.formatted("imagePullPolicy: Always"))).hasSize(1);
    }

    @Test
    void aMisspeltFieldIsNamedWithItsPath() {
        assertThatThrownBy(() -> Manifests.parse(DEPLOYMENT.formatted("imagePullPolicyy: Always")))
                .hasMessageContaining("Deployment x has fields its type does not have")
                .hasMessageContaining("spec.template.spec.containers[0].imagePullPolicyy");
    }

    @Test
    void aWrongApiVersionIsNoKnownType() {
        assertThatThrownBy(() -> Manifests.parse("apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: y}\n"))
                .hasMessageContaining("no type fabric8 knows");
    }
}
