package dev.ich.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A real OpenID Connect provider in the JVM (no.nav mock-oauth2-server on Netty: discovery, JWKS, token endpoint,
 * RS256), for the local stack and the tests. Who gets which ich roles comes from ich's own file,
 * {@value #CONFIG}: a client per role (client id = role name), {@code ich-demo} with what a demo run needs, and
 * any other client id with no role at all. It signs for whoever asks, so it is for loopback only: a site uses its
 * own issuer (docs/security.md).
 */
public final class EmbeddedOidc implements AutoCloseable {
    public static final String ISSUER_ID = "ich";
    /** The {@code aud} of every local token; services expect it (ICH_AUTH_AUDIENCE). */
    public static final String AUDIENCE = "ich";
    public static final String CONFIG = "/dev/ich/testkit/local-oidc.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final MockOAuth2Server server;
    private final String issuer;

    private EmbeddedOidc(MockOAuth2Server server) {
        this.server = server;
        String url = server.issuerUrl(ISSUER_ID).toString();
        this.issuer = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Starts on loopback; port 0 picks a free one. */
    public static EmbeddedOidc start(int port) {
        MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(localConfig()));
        server.start(InetAddress.getLoopbackAddress(), port);
        return new EmbeddedOidc(server);
    }

    static String localConfig() {
        try (InputStream in = EmbeddedOidc.class.getResourceAsStream(CONFIG)) {
            if (in == null) throw new IllegalStateException(CONFIG + " is missing from the testkit jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The issuer URL services are configured with (its /.well-known/openid-configuration is served). */
    public String issuerUrl() {
        return issuer;
    }

    /** A client-credentials access token for {@code clientId}, through the real token endpoint. */
    public String token(String clientId) {
        return clientCredentials(issuer, clientId);
    }

    /**
     * A client-credentials token from any issuer's token endpoint (found through discovery). The local provider
     * checks no secret; ich's local clients send their id in the form (client_secret_post), which is what its
     * role mapping matches on.
     */
    public static String clientCredentials(String issuerUrl, String clientId) {
        try {
            JsonNode discovery = JSON.readTree(get(issuerUrl + "/.well-known/openid-configuration"));
            String form = "grant_type=client_credentials&scope=openid&client_id=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8)
                    + "&client_secret=local";
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(discovery.path("token_endpoint").asText()))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the token endpoint of " + issuerUrl + " answered " + r.statusCode() + ": " + r.body());
            }
            return JSON.readTree(r.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach the OIDC issuer " + issuerUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + issuerUrl + " for a token", e);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException(url + " answered " + r.statusCode());
        return r.body();
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
