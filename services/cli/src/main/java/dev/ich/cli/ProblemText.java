package dev.ich.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.event.Events;

import java.io.IOException;

/**
 * What a refusal of an ich service says, for a person at the terminal: every service answers 4xx/5xx with one
 * RFC 9457 problem body (docs/errors.md), whose {@code detail} is the reason and {@code code} what it is. A body
 * that is not one (a proxy's HTML page, an empty 502) is shown as it came.
 */
public final class ProblemText {
    private ProblemText() {
    }

    /** "detail (code)", or the body itself when it is not a problem body. */
    public static String of(String body) {
        if (body == null || body.isBlank()) return "(no body)";
        JsonNode problem;
        try {
            problem = Events.JSON.readTree(body);
        } catch (IOException e) {
            return body;
        }
        return of(problem, body);
    }

    /** The same for a body already parsed; {@code raw} is what to show when it is no problem body. */
    public static String of(JsonNode problem, String raw) {
        String detail = problem == null ? null : problem.path("detail").textValue();
        if (detail == null) return raw == null || raw.isBlank() ? "(no body)" : raw;
        String code = problem.path("code").textValue();
        String field = problem.path("field").textValue();
        return detail + (code == null ? "" : " (" + code + (field == null ? "" : ", field " + field) + ")");
    }
}
