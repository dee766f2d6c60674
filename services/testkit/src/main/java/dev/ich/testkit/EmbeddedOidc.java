package dev.ich.testkit;

import dev.ich.core.auth.ClientCredentials;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.List;

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

    /** Starts on loopback; port 0 picks a free one. Signs with a key made for this process. */
    public static EmbeddedOidc start(int port) {
        MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(localConfig()));
        server.start(InetAddress.getLoopbackAddress(), port);
        return new EmbeddedOidc(server);
    }

    /**
     * Starts on {@code address}:{@code port}, signing with the RSA key kept in {@code signingKey} (made there on first
     * use, owner-only): a restarted provider keeps its key, so the tokens it issued and the keys services cached from
     * its JWKS stay valid (the local stack).
     */
    public static EmbeddedOidc start(InetAddress address, int port, Path signingKey) throws IOException {
        OAuth2Config local = OAuth2Config.Companion.fromJson(localConfig());
        OAuth2TokenProvider tokens = new OAuth2TokenProvider(new KeyProvider(List.of(signingKey(signingKey)), JWSAlgorithm.RS256.getName()));
        MockOAuth2Server server = new MockOAuth2Server(new OAuth2Config(local.getInteractiveLogin(), local.getLoginPagePath(),
                local.getStaticAssetsPath(), local.getRotateRefreshToken(), tokens, local.getTokenCallbacks(), local.getHttpServer()));
        server.start(address, port);
        return new EmbeddedOidc(server);
    }

    private static JWK signingKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createDirectories(file.getParent());
            RSAKey key;
            try {
                key = new RSAKeyGenerator(2048).keyID(ISSUER_ID).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException("cannot make the provider's signing key", e);
            }
            Path made = Files.createTempFile(file.getParent(), "signing-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(made, key.toJSONString());
            Files.move(made, file, StandardCopyOption.ATOMIC_MOVE);
        }
        try {
            return JWK.parse(Files.readString(file));
        } catch (ParseException e) {
            throw new IllegalStateException("the provider's signing key " + file + " is not a JWK (delete it to make a new one, which"
                    + " invalidates every token issued so far): " + e.getMessage(), e);
        }
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
