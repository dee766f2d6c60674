package dev.ich.runtime.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operation the audit trail must record although its HTTP method alone would not say so: a read of
 * per-patient data ({@code R}), or a POST that executes rather than creates, such as a prediction ({@code E}).
 * Every request with a method other than GET/HEAD/OPTIONS, and every refused request, is audited anyway.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Audited {
    /** The FHIR AuditEvent.action code: C, R, U, D or E. */
    String value() default "R";
}
