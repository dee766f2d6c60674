/** Measures shared by every service that judges a score: one implementation each, so two reports never disagree on a definition. */
package dev.ich.core.metric;
