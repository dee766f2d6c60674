package dev.ich.core.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.event.Events;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The OAuth 2.0 client-credentials grant against any OIDC issuer (token endpoint found through discovery), with the
 * client's id and secret in the form ({@code client_secret_post}, which Keycloak, Entra ID, Okta and Dex accept).
 * How ich's command line and tests get the bearer tokens the services require.
 */
public final class ClientCredentials {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ClientCredentials() {
    }

    /** An access token and when it stops being valid. */
    public record Token(String value, Instant expires) {
        public boolean validFor(Duration margin) {
            return Instant.now().plus(margin).isBefore(expires);
        }
    }

    public static Token request(String issuerUrl, String clientId, String clientSecret) {
        String issuer = issuerUrl.replaceAll("/+$", "");
        try {
            JsonNode discovery = Events.JSON.readTree(get(issuer + "/.well-known/openid-configuration"));
            String endpoint = discovery.path("token_endpoint").asText();
            if (endpoint.isEmpty()) throw new IllegalStateException(issuer + " publishes no token_endpoint in its discovery document");
            String form = "grant_type=client_credentials&client_id=" + encode(clientId) + "&client_secret=" + encode(clientSecret);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the token endpoint of " + issuer + " refused client " + clientId + " (" + r.statusCode() + "): " + r.body());
            }
            JsonNode answer = Events.JSON.readTree(r.body());
            long seconds = answer.path("expires_in").asLong(300);
            return new Token(answer.path("access_token").asText(), Instant.now().plusSeconds(seconds));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the OIDC issuer " + issuer + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + issuer + " for a token", e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(url + " answered " + r.statusCode());
        return r.body();
    }
}
