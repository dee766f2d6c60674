package dev.ich.runtime.operation;

import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StorageSettings;
import dev.ich.runtime.problem.Problem;
import dev.ich.testkit.EmbeddedS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two stores on one real bucket stand for two replicas: what one runs, the other answers for, and what a stopped one
 * left running is answered as interrupted with what to do.
 */
class OperationStoreTest {
    record Counts(long kept, String note) {
    }

    @TempDir
    static Path work;
    static EmbeddedS3 s3;
    static ObjectStore bucket;

    @BeforeAll
    static void start() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        s3 = EmbeddedS3.start(work.resolve("s3"), port);
        bucket = new ObjectStore(new StorageSettings(s3.endpoint(), EmbeddedS3.ACCESS_KEY, EmbeddedS3.SECRET_KEY, "ops-test"));
        bucket.ensureBucket();
    }

    @AfterAll
    static void stop() throws Exception {
        s3.close();
    }

    private static OperationStore<Counts> replica(Duration every) {
        return new OperationStore<>(bucket, "test/ops/", Counts.class, every, op -> "POST /things again");
    }

    @Test
    void anotherReplicaSeesTheRunningOperationAdvanceAndEnd() {
        try (OperationStore<Counts> a = replica(Duration.ofMillis(200)); OperationStore<Counts> b = replica(Duration.ofMillis(200))) {
            a.start(Operation.running("op-1", "thing", Progress.of(0, 10L, "slices"), new Counts(0, null)));
            assertThat(b.find("op-1")).get().extracting(Operation::state).isEqualTo(OperationState.running);

            a.update("op-1", op -> op.progressed(Progress.of(4, 10L, "slices"), new Counts(4, "half")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(b.find("op-1").orElseThrow().progress().done()).as("after a checkpoint").isEqualTo(4));

            a.update("op-1", op -> op.succeeded(Progress.of(10, 10L, "slices"), new Counts(10, "all")));
            Operation<Counts> ended = b.find("op-1").orElseThrow();
            assertThat(ended.state()).as("the final value is written at once").isEqualTo(OperationState.succeeded);
            assertThat(ended.details()).isEqualTo(new Counts(10, "all"));
            assertThat(ended.finishedAt()).isNotNull();
            assertThat(b.list()).extracting(Operation::id).contains("op-1");
        }
    }

    @Test
    void aTerminalOperationDoesNotChangeAgain() {
        try (OperationStore<Counts> a = replica(Duration.ofSeconds(5))) {
            a.start(Operation.running("op-2", "thing", Progress.none("objects"), new Counts(0, null)));
            a.update("op-2", op -> op.failed(Problem.of(500, "StorageFailed", "the bucket refused"), op.progress(), op.details()));
            Operation<Counts> after = a.update("op-2", op -> op.succeeded(Progress.of(9, 9L, "objects"), new Counts(9, null)));
            assertThat(after.state()).isEqualTo(OperationState.failed);
            assertThat(after.failure().detail()).isEqualTo("the bucket refused");
            assertThat(after.failure().code()).isEqualTo("StorageFailed");
        }
    }

    @Test
    void aRunningOperationWhoseReplicaStoppedIsInterruptedWithWhatToDo() throws Exception {
        Instant longAgo = Instant.now().minus(Duration.ofMinutes(5));
        Operation<Counts> left = new Operation<>("op-3", "thing", OperationState.running, null, Progress.of(3, null, "objects"),
                longAgo, longAgo, null, null, new Counts(3, null));
        bucket.put("test/ops/op-3.json", dev.ich.core.event.Events.JSON.writeValueAsBytes(left), "application/json",
                Map.of("replica", "ich-thing-7d9f-x2"));
        try (OperationStore<Counts> b = replica(Duration.ofSeconds(5))) {
            Operation<Counts> seen = b.find("op-3").orElseThrow();
            assertThat(seen.state()).isEqualTo(OperationState.interrupted);
            assertThat(seen.failure().detail()).contains("ich-thing-7d9f-x2").contains("POST /things again");
            assertThat(seen.progress().done()).as("what it had done stays").isEqualTo(3);
        }
    }

    @Test
    void whatThisReplicaLeftRunningBeforeItRestartedIsInterruptedAtOnce() throws Exception {
        try (OperationStore<Counts> restarted = replica(Duration.ofMinutes(10))) {
            Instant justNow = Instant.now();
            Operation<Counts> left = new Operation<>("op-4", "thing", OperationState.running, null, Progress.of(1, 2L, "objects"),
                    justNow, justNow, null, null, new Counts(1, null));
            // a pod that restarts keeps its name; the process before this one wrote it
            bucket.put("test/ops/op-4.json", dev.ich.core.event.Events.JSON.writeValueAsBytes(left), "application/json",
                    Map.of("replica", restarted.replica(), "instance", "an-earlier-process"));
            Operation<Counts> seen = restarted.find("op-4").orElseThrow();
            assertThat(seen.state()).as("not stale yet, but no longer running anywhere").isEqualTo(OperationState.interrupted);
            assertThat(seen.failure().detail()).contains(restarted.replica());
        }
    }

    @Test
    void idsThatCouldLeaveThePrefixAreNeverKeys() {
        try (OperationStore<Counts> a = replica(Duration.ofSeconds(5))) {
            assertThat(a.find("../raw/x")).isEmpty();
            assertThat(a.find("nothing-here")).isEmpty();
            assertThatThrownBy(() -> a.start(Operation.running("a/b", "thing", Progress.none("x"), new Counts(0, null))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void formerStateWordsOfStoredCheckpointsStillRead() {
        assertThat(OperationState.parse("Succeeded")).isEqualTo(OperationState.succeeded);
        assertThat(OperationState.parse("completed")).isEqualTo(OperationState.succeeded);
        assertThat(OperationState.parse("published")).isEqualTo(OperationState.succeeded);
        assertThatThrownBy(() -> OperationState.parse("sleeping")).hasMessageContaining("pending");
    }
}
