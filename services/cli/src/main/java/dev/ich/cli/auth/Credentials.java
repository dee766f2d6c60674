package dev.ich.cli.auth;

import dev.ich.core.auth.ClientCredentials;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token a command sends to ich's services, from the first of: {@code ICH_TOKEN} (a token the user got from
 * the site's IdP); the client-credentials grant for {@code ICH_AUTH_CLIENT_ID} / {@code ICH_AUTH_CLIENT_SECRET} at
 * {@code ICH_AUTH_ISSUER_URL} (a site's service account); or, against the local stack, its own provider with the
 * local client that command acts as ({@code ich-demo}, a role name). None of these: requests go without a token and
 * the services answer 401 with what to do.
 */
public final class Credentials {
    /** The local provider checks no secret (it is loopback-only); its clients are ich's own file's. */
    static final String LOCAL_SECRET = "local";
    private static final Duration RENEW_BEFORE = Duration.ofSeconds(60);

    private final String fixed;
    private final String issuer;
    private final String clientId;
    private final String secret;
    private ClientCredentials.Token token;

    private Credentials(String fixed, String issuer, String clientId, String secret) {
        this.fixed = fixed;
        this.issuer = issuer;
        this.clientId = clientId;
        this.secret = secret;
    }

    /** For a command acting as {@code localClient} against the stack {@code stackEnv} describes (.ich/stack.env). */
    public static Credentials forStack(Map<String, String> stackEnv, String localClient) {
        return from(System.getenv(), stackEnv, localClient);
    }

    /** The local stack's provider, as local client {@code clientId}, whatever the environment says. */
    public static Credentials local(String issuerUrl, String clientId) {
        return new Credentials(null, issuerUrl, clientId, LOCAL_SECRET);
    }

    static Credentials from(Map<String, String> environment, Map<String, String> stackEnv, String localClient) {
        String given = environment.get("ICH_TOKEN");
        if (given != null && !given.isBlank()) return new Credentials(given.trim(), null, null, null);
        String siteIssuer = environment.get("ICH_AUTH_ISSUER_URL");
        String id = environment.get("ICH_AUTH_CLIENT_ID");
        String siteSecret = environment.get("ICH_AUTH_CLIENT_SECRET");
        if (siteIssuer != null && id != null && siteSecret != null) return new Credentials(null, siteIssuer, id, siteSecret);
        String local = stackEnv.get("ICH_AUTH_ISSUER_URL");
        if (local != null && !local.isBlank()) return new Credentials(null, local, localClient, LOCAL_SECRET);
        return new Credentials(null, null, null, null);
    }

    /** {@code Bearer <token>}, renewed a minute before it expires; empty when this command has no way to get one. */
    public synchronized Optional<String> authorization() {
        if (fixed != null) return Optional.of("Bearer " + fixed);
        if (issuer == null) return Optional.empty();
        if (token == null || !token.validFor(RENEW_BEFORE)) token = ClientCredentials.request(issuer, clientId, secret);
        return Optional.of("Bearer " + token.value());
    }

    /** Adds the Authorization header when there is a token. */
    public HttpRequest.Builder apply(HttpRequest.Builder request) {
        authorization().ifPresent(value -> request.header("Authorization", value));
        return request;
    }

    /** Where tokens come from, for messages: never the token itself. */
    public String describe() {
        if (fixed != null) return "the token in ICH_TOKEN";
        if (issuer == null) return "no token (set ICH_TOKEN, or start the local stack: ./ich up)";
        return "client " + clientId + " at " + issuer;
    }
}
