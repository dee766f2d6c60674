/** Bulk import ({@code POST /imports}): objects already in the bucket, ingested in a pool, one job per request. */
package dev.ich.ingest.imports;
