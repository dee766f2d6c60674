/**
 * Quarkus test resources over the embedded broker and S3 endpoint: a {@code @QuarkusTest} names them
 * in {@code @QuarkusTestResource} and gets real Kafka and S3 on free ports, no Docker, no mocks.
 */
package dev.ich.testkit.quarkus;
