/**
 * The inference service: the promoted model over HTTP (the ich API and the Open Inference Protocol v2), with the
 * training preprocessing, dynamic batching and live model swaps (docs/inference.md).
 */
package dev.ich.inference;
