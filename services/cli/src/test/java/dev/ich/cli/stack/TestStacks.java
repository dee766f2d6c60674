package dev.ich.cli.stack;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.Optional;

/** What the launcher's tests share: free ports, a home the stack's user can enter, the machine's other addresses. */
public final class TestStacks {
    private TestStacks() {
    }

    public static StackPorts freePorts() throws IOException {
        StackPorts p = new StackPorts();
        p.kafka = free();
        p.s3 = free();
        p.httpBase = freeRange();
        p.dimse = free();
        p.oidc = free();
        p.orthancHttp = free();
        p.orthancDicom = free();
        return p;
    }

    private static int free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A base whose five API ports and their management ports (+100) are free. */
    private static int freeRange() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20000 + (int) (Math.random() * 30000);
            boolean all = true;
            for (int i = 0; i < 5 && all; i++) all = isFree(base + i) && isFree(base + i + StackPorts.MANAGEMENT_OFFSET);
            if (all) return base;
        }
        throw new IOException("no free range of ports for five services");
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A JUnit temporary directory is owner-only; run as root, the stack's processes run as another user, who must be able
     * to enter it to reach the stack's state and the services' jars below.
     */
    public static Path enterable(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** An IPv4 address of this machine that is not loopback, if it has one. */
    public static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Whether something accepts a TCP connection at {@code address}:{@code port}. */
    public static boolean answers(InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean runAsRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }
}
