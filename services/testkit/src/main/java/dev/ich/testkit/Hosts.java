package dev.ich.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Bind addresses versus the address a client is given: a wildcard binds every interface but is no place to connect to. */
final class Hosts {
    private Hosts() {
    }

    /** {@code bindHost} itself, or loopback when it is a wildcard (0.0.0.0, ::). */
    static String connectable(String bindHost) {
        try {
            return InetAddress.getByName(bindHost).isAnyLocalAddress() ? "127.0.0.1" : bindHost;
        } catch (UnknownHostException e) {
            return bindHost;
        }
    }
}
