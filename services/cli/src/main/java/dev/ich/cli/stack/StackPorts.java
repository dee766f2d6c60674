package dev.ich.cli.stack;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The local stack's ports, as options with the defaults people expect (Kafka 9092, S3 9000), and the one address every
 * component binds to: loopback unless {@code ./ich up --listen ADDR} asks otherwise.
 */
public final class StackPorts {
    /** A service's management port (health, metrics, OpenAPI) is its API port plus this: 8181 for ingest's 8081. */
    public static final int MANAGEMENT_OFFSET = 100;
    public static final String LOOPBACK = "127.0.0.1";

    /** Where every component listens (HTTP, management, DICOM, Kafka, S3, OIDC); set by {@code ./ich up --listen}. */
    public String listen = LOOPBACK;

    @Option(names = "--kafka-port", defaultValue = "${env:ICH_KAFKA_PORT:-9092}", description = "Kafka broker port (default: ${DEFAULT-VALUE}).")
    public int kafka;

    @Option(names = "--s3-port", defaultValue = "${env:ICH_S3_PORT:-9000}", description = "S3 endpoint port (default: ${DEFAULT-VALUE}).")
    public int s3;

    @Option(names = "--http-base-port", defaultValue = "${env:ICH_HTTP_BASE_PORT:-8081}",
            description = "First HTTP port; services take consecutive ports in the order ingest, cleaning, labeling, training, inference (default: ${DEFAULT-VALUE}).")
    public int httpBase;

    @Option(names = "--oidc-port", defaultValue = "${env:ICH_OIDC_PORT:-8090}",
            description = "Port of the local OIDC provider that issues the stack's tokens (default: ${DEFAULT-VALUE}).")
    public int oidc;

    @Option(names = "--dimse-port", defaultValue = "${env:ICH_DIMSE_PORT:-11112}", description = "DICOM C-STORE port of ingest (default: ${DEFAULT-VALUE}).")
    public int dimse;

    @Option(names = "--orthanc-http-port", defaultValue = "${env:ICH_ORTHANC_HTTP_PORT:-8042}",
            description = "REST/web port of the local Orthanc PACS, started when Orthanc is installed (default: ${DEFAULT-VALUE}).")
    public int orthancHttp;

    @Option(names = "--orthanc-dicom-port", defaultValue = "${env:ICH_ORTHANC_DICOM_PORT:-4242}",
            description = "DICOM port of the local Orthanc PACS, where inference exports its results (default: ${DEFAULT-VALUE}).")
    public int orthancDicom;

    /** Whether {@link #listen} is a wildcard (0.0.0.0, ::): every interface. */
    public boolean listensEverywhere() {
        try {
            return InetAddress.getByName(listen).isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@link #listen} is a loopback address: nothing is reachable from another machine. */
    public boolean loopbackOnly() {
        try {
            return InetAddress.getByName(listen).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The address clients of the stack connect to: the listen address, or loopback when that is a wildcard. */
    public String connectHost() {
        return listensEverywhere() ? LOOPBACK : listen;
    }

    /** {@link #connectHost()} as URLs spell it (an IPv6 literal in brackets). */
    public String urlHost() {
        String h = connectHost();
        return h.contains(":") ? "[" + h + "]" : h;
    }

    public String kafkaBootstrap() {
        return urlHost() + ":" + kafka;
    }

    public String s3Endpoint() {
        return "http://" + urlHost() + ":" + s3;
    }

    /** The local provider's issuer: its iss is the URL tokens are asked from, so everyone uses this one. */
    public String issuerUrl() {
        return "http://" + (loopbackOnly() ? "localhost" : urlHost()) + ":" + oidc + "/" + dev.ich.testkit.EmbeddedOidc.ISSUER_ID;
    }

    /** The ports {@code component} listens on, each with what it is for and the option that moves it. */
    Map<Integer, String> portsOf(String component) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        switch (component) {
            case "kafka" -> ports.put(kafka, "Kafka (--kafka-port)");
            case "s3" -> ports.put(s3, "S3 (--s3-port)");
            case "oidc" -> ports.put(oidc, "the OIDC provider (--oidc-port)");
            case LocalPacs.NAME -> {
                ports.put(orthancHttp, "the local Orthanc PACS (--orthanc-http-port)");
                ports.put(orthancDicom, "the local Orthanc PACS's DICOM port (--orthanc-dicom-port)");
            }
            default -> {
                Service s = Service.named(component);
                ports.put(s.httpPort(this), s.name() + " HTTP (--http-base-port)");
                ports.put(s.managementPort(this), s.name() + " management (--http-base-port + " + MANAGEMENT_OFFSET + ")");
                if (s.name().equals("ingest")) ports.put(dimse, "ingest C-STORE (--dimse-port)");
            }
        }
        return ports;
    }

    /** The ports of {@code component} that something else holds, each with what it was meant for; empty when all are free. */
    List<String> busy(String component) {
        List<String> taken = new ArrayList<>();
        portsOf(component).forEach((port, what) -> {
            if (!free(port)) taken.add(port + " for " + what);
        });
        return taken;
    }

    private boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(listen), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What the stack records so a later {@code up}, {@code status} or a test finds the same endpoints. */
    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("listen", listen);
        p.setProperty("kafka", Integer.toString(kafka));
        p.setProperty("s3", Integer.toString(s3));
        p.setProperty("oidc", Integer.toString(oidc));
        p.setProperty("http-base", Integer.toString(httpBase));
        p.setProperty("dimse", Integer.toString(dimse));
        p.setProperty("orthanc-http", Integer.toString(orthancHttp));
        p.setProperty("orthanc-dicom", Integer.toString(orthancDicom));
        return p;
    }

    static StackPorts fromProperties(Properties p) {
        StackPorts ports = new StackPorts();
        ports.listen = p.getProperty("listen", LOOPBACK);
        ports.kafka = Integer.parseInt(p.getProperty("kafka"));
        ports.s3 = Integer.parseInt(p.getProperty("s3"));
        ports.oidc = Integer.parseInt(p.getProperty("oidc"));
        ports.httpBase = Integer.parseInt(p.getProperty("http-base"));
        ports.dimse = Integer.parseInt(p.getProperty("dimse"));
        ports.orthancHttp = Integer.parseInt(p.getProperty("orthanc-http"));
        ports.orthancDicom = Integer.parseInt(p.getProperty("orthanc-dicom"));
        return ports;
    }

    boolean sameAs(StackPorts o) {
        return Objects.equals(toProperties(), o.toProperties());
    }

    @Override
    public String toString() {
        return "listen " + listen + ", Kafka " + kafka + ", S3 " + s3 + ", OIDC " + oidc + ", HTTP from " + httpBase + ", DICOM " + dimse
                + ", Orthanc " + orthancHttp + "/" + orthancDicom;
    }
}
