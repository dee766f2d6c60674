package dev.ich.testkit;

import dev.ich.core.auth.ClientCredentials;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

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

    /**
     * A client-credentials access token for {@code clientId}, through the real token endpoint. The local provider
     * checks no secret; its role mapping matches the client id in the form.
     */
    public String token(String clientId) {
        return ClientCredentials.request(issuer, clientId, "local").value();
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
