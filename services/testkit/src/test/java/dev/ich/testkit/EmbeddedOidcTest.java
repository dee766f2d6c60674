package dev.ich.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The local provider serves discovery and signs client-credentials tokens with the roles of ich's own file. */
class EmbeddedOidcTest {
    @Test
    void aRoleClientGetsItsRoleTheDemoGetsWhatItNeedsAndAStrangerGetsNone() throws Exception {
        try (EmbeddedOidc oidc = EmbeddedOidc.start(0)) {
            assertThat(oidc.issuerUrl()).matches("http://(localhost|127\\.0\\.0\\.1):\\d+/ich");
            JsonNode curator = claims(oidc.token("ich-curator"));
            assertThat(curator.path("iss").asText()).isEqualTo(oidc.issuerUrl());
            assertThat(curator.path("aud").toString()).contains(EmbeddedOidc.AUDIENCE);
            assertThat(curator.path("roles")).extracting(JsonNode::asText).containsExactly("ich-curator");
            assertThat(curator.path("sub").asText()).isEqualTo("local-curator");
            assertThat(claims(oidc.token("ich-demo")).path("roles")).extracting(JsonNode::asText)
                    .contains("ich-uploader", "ich-trainer", "ich-clinician").doesNotContain("ich-admin");
            assertThat(claims(oidc.token("someone-else")).path("roles")).isEmpty();
        }
    }

    private static JsonNode claims(String jwt) throws Exception {
        String[] parts = jwt.split("\\.");
        assertThat(parts).hasSize(3);
        return new ObjectMapper().readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    }
}
