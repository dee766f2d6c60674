/** The exploration report: charts drawn on the server and one self-contained HTML page that shows them. */
package dev.ich.labeling.report;
