package dev.ich.runtime.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * How a service checks its callers (ICH_AUTH_* in the environment; the OIDC side is Quarkus' own
 * {@code quarkus.oidc.*}, set from the same variables in this module's microprofile-config.properties).
 */
@ConfigMapping(prefix = "ich.auth")
public interface AuthSettings {
    /**
     * Off opens every API to anyone who can reach it; the service says so at every start. Only for a closed
     * evaluation network: there is no silent way to turn the checks off.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The site's mapping from its IdP's roles or groups to ich roles:
     * {@code ich-admin=ai-admins|radiology-leads;ich-uploader=pacs-senders}. Roles named ich-* in the token count as
     * they are.
     */
    Optional<String> roleMap();
}
