package dev.ich.cli;

import dev.ich.cli.auth.Credentials;
import dev.ich.cli.stack.LocalStack;
import dev.ich.cli.stack.StackLayout;
import dev.ich.core.contract.Roles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;
import java.util.concurrent.Callable;

/** A bearer token from the local stack's OIDC provider, for curl: {@code curl -H "Authorization: Bearer $(./ich token --role ich-reader)"}. */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"Print an access token of the running local stack's OIDC provider, for one of ich's roles.",
                "Local tokens last an hour. A site's tokens come from its own IdP (docs/security.md)."})
public final class TokenCommand implements Callable<Integer> {
    @Option(names = "--role", defaultValue = Roles.READER,
            description = "ich-uploader, ich-curator, ich-trainer, ich-model-admin, ich-clinician, ich-reader, ich-admin, "
                    + "or ich-demo (what ./ich demo acts as) (default: ${DEFAULT-VALUE}).")
    String role;

    @Override
    public Integer call() throws Exception {
        if (!Roles.ALL.contains(role) && !role.equals("ich-demo")) {
            System.err.println("token: no local client '" + role + "'; one of " + String.join(", ", Roles.ALL) + ", ich-demo");
            return 2;
        }
        Map<String, String> stack = new LocalStack(StackLayout.fromSystem(), System.err).readStackEnv();
        if (!stack.containsKey("ICH_AUTH_ISSUER_URL")) {
            System.err.println("token: the local stack is not running (./ich up starts it, with its OIDC provider)");
            return 3;
        }
        // Only the stack's own provider: ICH_TOKEN or a site's client in the environment would print someone else's token.
        Credentials local = Credentials.local(stack.get("ICH_AUTH_ISSUER_URL"), role);
        System.out.println(local.authorization().orElseThrow().substring("Bearer ".length()));
        return 0;
    }
}
