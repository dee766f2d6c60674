package dev.ich.core.event;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One audited request (topic {@code audit}, CloudEvents type {@value #TYPE}): who, what, when, from where, with
 * what outcome. Shaped after FHIR AuditEvent and the DICOM audit message (PS3.15 A.5): {@code action} is the
 * operation ({@code POST /datasets}), {@code fhirAction} its C/R/U/D/E code, {@code entities} the resources touched
 * by kind ({@code study}, {@code series}, {@code instance}, {@code dataset}, {@code job}, {@code model}, or the
 * route's path parameter names).
 */
public record AuditRecord(String id, Instant recorded, String service, String action, String fhirAction, String path,
                          Agent agent, Outcome outcome, Map<String, List<String>> entities) {
    public static final String TYPE = "dev.ich.audit.v1";

    /** The caller: token subject, OAuth client ({@code azp}/{@code client_id}), ich roles held, remote address. */
    public record Agent(String subject, String client, List<String> roles, String address) {
    }

    /** HTTP status and its reading: {@code success} (2xx/3xx), {@code refused} (401/403), {@code failed} (the rest). */
    public record Outcome(int status, String result) {
        public static Outcome of(int status) {
            return new Outcome(status, status < 400 ? "success" : status == 401 || status == 403 ? "refused" : "failed");
        }
    }

    /** FHIR AuditEvent.action for an HTTP method: create, read, update, delete, or execute for the rest. */
    public static String fhirAction(String method) {
        return switch (method) {
            case "POST" -> "C";
            case "GET", "HEAD" -> "R";
            case "PUT", "PATCH" -> "U";
            case "DELETE" -> "D";
            default -> "E";
        };
    }
}
