package dev.ich.cli.stack;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** The local stack's ports, as options with the defaults people expect (Kafka 9092, S3 9000). */
public final class StackPorts {
    /** A service's management port (health, metrics, OpenAPI) is its API port plus this: 8181 for ingest's 8081. */
    public static final int MANAGEMENT_OFFSET = 100;

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

    /** Ports that are taken, each with what it was meant for; empty when all are free. */
    List<String> busy(List<Service> services) {
        List<String> taken = new ArrayList<>();
        check(kafka, "Kafka (--kafka-port)", taken);
        check(s3, "S3 (--s3-port)", taken);
        check(oidc, "the OIDC provider (--oidc-port)", taken);
        if (LocalPacs.installed()) {
            check(orthancHttp, "the local Orthanc PACS (--orthanc-http-port)", taken);
            check(orthancDicom, "the local Orthanc PACS's DICOM port (--orthanc-dicom-port)", taken);
        }
        for (Service s : services) {
            check(s.httpPort(this), s.name() + " HTTP (--http-base-port)", taken);
            check(s.managementPort(this), s.name() + " management (--http-base-port + " + MANAGEMENT_OFFSET + ")", taken);
            if (s.name().equals("ingest")) check(dimse, "ingest C-STORE (--dimse-port)", taken);
        }
        return taken;
    }

    private static void check(int port, String what, List<String> taken) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            taken.add(port + " for " + what);
        }
    }
}
