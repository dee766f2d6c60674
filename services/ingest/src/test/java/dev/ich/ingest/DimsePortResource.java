package dev.ich.ingest;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;

/** A free port for the C-STORE receiver, so tests never collide with a running stack on 11112. */
public class DimsePortResource implements QuarkusTestResourceLifecycleManager {
    public static volatile int port;

    @Override
    public Map<String, String> start() {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("ich.ingest.dimse.port", String.valueOf(port), "ich.ingest.dimse.ae-title", "ICH");
    }

    @Override
    public void stop() {
    }
}
