/** Who may call: OIDC bearer tokens (quarkus-oidc), ich's roles and the site's mapping to them, 401/403 problems. */
package dev.ich.runtime.security;
