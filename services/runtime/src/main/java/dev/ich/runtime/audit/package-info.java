/** The audit trail: one record per state-changing, per-patient or refused request, in the log and on the audit topic. */
package dev.ich.runtime.audit;
