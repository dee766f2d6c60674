package dev.ich.cli.stack;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A stand-in for a built service in the launcher's tests: binds the API and management ports a Quarkus service is given
 * (QUARKUS_HTTP_HOST/PORT, QUARKUS_MANAGEMENT_HOST/PORT) and answers its health paths, so the stack's start, restart,
 * bind address and user can be checked without building the services. JDK classes only: its jar holds it alone.
 */
public final class FakeService {
    private FakeService() {
    }

    public static void main(String[] args) throws IOException {
        serve(System.getenv("QUARKUS_HTTP_HOST"), Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT")), "/", "fake service");
        serve(System.getenv("QUARKUS_MANAGEMENT_HOST"), Integer.parseInt(System.getenv("QUARKUS_MANAGEMENT_PORT")), "/q/health",
                "{\"status\":\"UP\"}");
        System.out.println("fake service up as uid " + new com.sun.security.auth.module.UnixSystem().getUid());
    }

    private static void serve(String host, int port, String path, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host == null ? "0.0.0.0" : host, port), 0);
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Installs this class as service {@code name}'s runnable jar under {@code home}, where the stack looks for it. */
    public static void installAs(Path home, String name) throws IOException {
        Path jar = Service.named(name).jar(home);
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
                var in = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
    }
}
