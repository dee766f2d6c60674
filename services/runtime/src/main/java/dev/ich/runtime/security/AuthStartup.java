package dev.ich.runtime.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Says at every start how callers are checked, and refuses to start when checks are on but no issuer is set: a
 * service that cannot verify a token must not come up looking healthy. (Quarkus OIDC itself stops a service with no
 * {@code quarkus.oidc.auth-server-url} before this runs; this is the check that does not depend on it.)
 */
@Singleton
public class AuthStartup {
    private static final Logger LOG = Logger.getLogger(AuthStartup.class);

    void onStart(@Observes StartupEvent event, AuthSettings settings, Config config) {
        if (!settings.enabled()) {
            LOG.warn("AUTHENTICATION IS OFF (ICH_AUTH_ENABLED=false): EVERY API OF THIS SERVICE IS OPEN TO ANYONE WHO CAN REACH IT, "
                    + "with every ich role. Use this only on a closed evaluation network; set ICH_AUTH_ISSUER_URL and remove "
                    + "ICH_AUTH_ENABLED to turn the checks back on.");
            return;
        }
        String issuer = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class).orElse("");
        if (issuer.isBlank()) {
            throw new IllegalStateException("No OIDC issuer: set ICH_AUTH_ISSUER_URL (e.g. https://keycloak.example.org/realms/radiology), "
                    + "or ICH_AUTH_ENABLED=false to run with every API open (docs/security.md)");
        }
        RoleMap map = RoleMap.parse(settings.roleMap().orElse(""));
        LOG.infof("Callers need a bearer token from %s (audience %s, roles from claim '%s'%s)", issuer,
                config.getOptionalValue("quarkus.oidc.token.audience", String.class).orElse("not checked"),
                config.getOptionalValue("quarkus.oidc.roles.role-claim-path", String.class).orElse("groups"),
                map.asMap().isEmpty() ? ", no site role map" : ", site role map " + map.asMap());
    }
}
