package dev.ich.testkit.quarkus;

import dev.ich.testkit.DefaultBearer;
import dev.ich.testkit.EmbeddedOidc;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real OIDC provider for a {@code @QuarkusTest} ({@link EmbeddedOidc}), the service pointed at it with the local
 * audience, and every RestAssured call of the module's tests sent with an {@code ich-admin} token, so tests of what a
 * service does run with authentication on. Tests of who may call what ask for other tokens with {@link #token}.
 */
public class OidcTestResource implements QuarkusTestResourceLifecycleManager {
    private static volatile EmbeddedOidc oidc;
    private static volatile DefaultBearer bearer;
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

    @Override
    public Map<String, String> start() {
        oidc = EmbeddedOidc.start(0);
        TOKENS.clear();
        bearer = DefaultBearer.install(token("ich-admin"));
        return Map.of("quarkus.oidc.auth-server-url", oidc.issuerUrl(), "quarkus.oidc.token.audience", EmbeddedOidc.AUDIENCE,
                "ich.auth.enabled", "true");
    }

    /** A token of the local client {@code clientId} (a role name, {@code ich-demo}, or anything else for no role). */
    public static String token(String clientId) {
        return TOKENS.computeIfAbsent(clientId, id -> issuer().token(id));
    }

    public static String issuerUrl() {
        return issuer().issuerUrl();
    }

    private static EmbeddedOidc issuer() {
        if (oidc == null) throw new IllegalStateException("OidcTestResource has not started");
        return oidc;
    }

    @Override
    public void stop() {
        if (bearer != null) bearer.uninstall();
        bearer = null;
        if (oidc != null) oidc.close();
        oidc = null;
    }
}
