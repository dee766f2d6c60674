/** DICOMweb reads: QIDO-RS and WADO-RS over the in-memory index that records beside each stored object rebuild. */
package dev.ich.ingest.dicomweb;
