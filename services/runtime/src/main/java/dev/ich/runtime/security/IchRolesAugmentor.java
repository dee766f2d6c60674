package dev.ich.runtime.security;

import dev.ich.core.contract.Roles;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * Gives a verified caller the ich roles its token's roles or groups map to ({@link RoleMap}). With
 * {@code ICH_AUTH_ENABLED=false}, and only then, an anonymous caller becomes {@link #OPEN_PRINCIPAL} with every role:
 * the explicit, logged way to run open ({@link AuthStartup}).
 */
@ApplicationScoped
public class IchRolesAugmentor implements SecurityIdentityAugmentor {
    public static final String OPEN_PRINCIPAL = "anonymous (ICH_AUTH_ENABLED=false)";
    private final boolean enabled;
    private final RoleMap roleMap;

    public IchRolesAugmentor(AuthSettings settings) {
        this.enabled = settings.enabled();
        this.roleMap = RoleMap.parse(settings.roleMap().orElse(""));
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            if (enabled) return Uni.createFrom().item(identity);
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).setAnonymous(false)
                    .setPrincipal(new QuarkusPrincipal(OPEN_PRINCIPAL)).addRoles(Set.copyOf(Roles.ALL)).build());
        }
        Set<String> held = roleMap.ichRoles(identity.getRoles());
        if (identity.getRoles().containsAll(held)) return Uni.createFrom().item(identity);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(held).build());
    }
}
