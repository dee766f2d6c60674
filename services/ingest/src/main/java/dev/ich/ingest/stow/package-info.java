/** STOW-RS ({@code POST /studies}) and the single upload ({@code POST /instances}): the HTTP doors that store. */
package dev.ich.ingest.stow;
