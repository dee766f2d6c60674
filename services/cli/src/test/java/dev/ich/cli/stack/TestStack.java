package dev.ich.cli.stack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A LocalStack as the launcher's tests drive it: on a test's temporary home that the stack's user can enter, with the
 * fake services the test names installed, on free ports, and what it prints kept for the assertions.
 */
public record TestStack(Path home, LocalStack stack, StackPorts ports, ByteArrayOutputStream out) {
    public static TestStack on(Path dir, String... fakeServices) throws IOException {
        Path home = TestStacks.enterable(dir);
        for (String service : fakeServices) FakeService.installAs(home, service);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return new TestStack(home, new LocalStack(new StackLayout(home), new PrintStream(out, true, StandardCharsets.UTF_8)),
                TestStacks.freePorts(), out);
    }

    /** Brings the whole stack up (at most 90 s) with these settings, or fails with what it printed. */
    public void up(Map<String, String> settings) throws IOException, InterruptedException {
        assertThat(stack.up(ports, Duration.ofSeconds(90), settings)).as(printed()).isZero();
    }

    /** What the stack printed since it was made or last {@link #forgetPrinted forgot}. */
    public String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    public void forgetPrinted() {
        out.reset();
    }
}
