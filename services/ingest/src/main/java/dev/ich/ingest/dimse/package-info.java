/** The DIMSE door: the C-STORE/C-ECHO receiver, its association gate, TLS and the per-association SCP. */
package dev.ich.ingest.dimse;
