package dev.ich.testkit;

import dev.ich.core.contract.Roles;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code @ExtendWith(ChildServiceAdmin.class)}: every RestAssured call of the test class carries an ich-admin token
 * from the issuer that {@link QuarkusJar}'s child services trust ({@link DefaultBearer}), and none after it.
 */
public final class ChildServiceAdmin implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ChildServiceAdmin.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NAMESPACE).put(DefaultBearer.class, DefaultBearer.install(QuarkusJar.token(Roles.ADMIN)));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        DefaultBearer bearer = context.getStore(NAMESPACE).remove(DefaultBearer.class, DefaultBearer.class);
        if (bearer != null) bearer.uninstall();
    }
}
