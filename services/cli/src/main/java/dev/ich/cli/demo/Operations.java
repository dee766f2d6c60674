package dev.ich.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import me.tongfei.progressbar.ProgressBar;

import java.time.Duration;
import java.util.Set;

/**
 * Waits on any service's background work the one way every service reports it (docs/operations.md): poll the
 * operation until its {@code state} is terminal, show {@code progress} on a bar, and fail the step with the
 * operation's {@code failure.detail} unless it succeeded.
 */
final class Operations {
    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled", "interrupted");

    private Operations() {
    }

    /** The operation at {@code path} once it has ended; {@code what} names it in a failure. */
    static JsonNode await(ServiceApi service, String path, String what, ProgressBar bar, Duration every) throws InterruptedException {
        JsonNode op;
        while (true) {
            op = service.get(path, 200).body();
            show(op, bar);
            if (TERMINAL.contains(op.path("state").asText())) break;
            Thread.sleep(every.toMillis()); // the work runs in the service's background; its operation is the thing to wait on
        }
        if (!op.path("state").asText().equals("succeeded")) {
            throw new StepFailure(what + " " + op.path("state").asText() + ": " + failure(op), service.log().toString());
        }
        return op;
    }

    /** The operation's progress on the bar: its total once known, its done count. */
    static void show(JsonNode op, ProgressBar bar) {
        if (bar == null) return;
        JsonNode p = op.path("progress");
        if (p.path("total").canConvertToLong() && p.path("total").asLong() > 0) bar.maxHint(p.path("total").asLong());
        bar.stepTo(p.path("done").asLong());
        String message = op.path("message").asText("");
        bar.setExtraMessage(message.isEmpty() ? "" : " " + message);
    }

    /** What the failure says a person can do, else the whole operation. */
    static String failure(JsonNode op) {
        JsonNode f = op.path("failure");
        if (f.hasNonNull("detail")) return f.path("detail").asText();
        return op.path("message").asText(op.toString());
    }
}
