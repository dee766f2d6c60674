package dev.ich.cli.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.event.Events;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each component is told to bind: 127.0.0.1 unless ./ich up --listen ADDR asks for another address, and then
 * that one; a wildcard binds every interface while clients are given loopback.
 */
class ListenAddressTest {

    @Test
    void byDefaultEveryServiceBindsItsApiManagementAndDicomPortsToLoopback() throws Exception {
        StackPorts ports = parsedUp();
        assertThat(ports.listen).isEqualTo("127.0.0.1");
        for (Service s : Service.ALL) {
            Map<String, String> env = s.environment(ports, Map.of());
            assertThat(env).as(s.name()).containsEntry("QUARKUS_HTTP_HOST", "127.0.0.1").containsEntry("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            assertThat(s.url(ports)).startsWith("http://127.0.0.1:");
        }
        assertThat(Service.named("ingest").environment(ports, Map.of())).containsEntry("ICH_INGEST_DIMSE_HOST", "127.0.0.1");
        assertThat(ports.kafkaBootstrap()).startsWith("127.0.0.1:");
        assertThat(ports.s3Endpoint()).startsWith("http://127.0.0.1:");
        assertThat(ports.issuerUrl()).isEqualTo("http://localhost:" + ports.oidc + "/ich");
    }

    @Test
    void listenNamesTheAddressEveryComponentBindsAndClientsUse() throws Exception {
        StackPorts ports = parsedUp("--listen", "192.0.2.7");
        Map<String, String> ingest = Service.named("ingest").environment(ports, Map.of());
        assertThat(ingest).containsEntry("QUARKUS_HTTP_HOST", "192.0.2.7").containsEntry("QUARKUS_MANAGEMENT_HOST", "192.0.2.7")
                .containsEntry("ICH_INGEST_DIMSE_HOST", "192.0.2.7");
        assertThat(Service.named("ingest").managementUrl(ports)).startsWith("http://192.0.2.7:");
        assertThat(ports.kafkaBootstrap()).isEqualTo("192.0.2.7:" + ports.kafka);
        assertThat(ports.issuerUrl()).isEqualTo("http://192.0.2.7:" + ports.oidc + "/ich");
        assertThat(ports.loopbackOnly()).isFalse();
    }

    @Test
    void aWildcardBindsEveryInterfaceButClientsConnectOverLoopback() throws Exception {
        StackPorts ports = parsedUp("--listen", "0.0.0.0");
        assertThat(Service.named("training").environment(ports, Map.of())).containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0");
        assertThat(ports.listensEverywhere()).isTrue();
        assertThat(ports.connectHost()).isEqualTo("127.0.0.1");
        assertThat(ports.s3Endpoint()).isEqualTo("http://127.0.0.1:" + ports.s3);
    }

    @Test
    void orthancWhichCannotBindOneAddressRefusesRemoteHttpAndUnknownDicomPeers(@TempDir Path dir) throws Exception {
        StackLayout layout = new StackLayout(TestStacks.enterable(dir));
        LocalPacs pacs = new LocalPacs(layout);
        StackPorts ports = TestStacks.freePorts();
        JsonNode config = pacs.config(ports);
        assertThat(config.path("RemoteAccessAllowed").asBoolean()).isFalse();
        assertThat(config.path("DicomAlwaysAllowStore").asBoolean()).isFalse();
        assertThat(config.path("DicomAlwaysAllowEcho").asBoolean()).isFalse();
        assertThat(config.path("DicomCheckModalityHost").asBoolean()).isTrue();
        assertThat(config.path("DicomModalities").path("ich").toString()).isEqualTo("[\"ICH\",\"127.0.0.1\"," + ports.dimse + "]");

        ports.listen = "192.0.2.7";
        JsonNode exposed = pacs.config(ports);
        assertThat(exposed.path("RemoteAccessAllowed").asBoolean()).isTrue();
        assertThat(exposed.path("AuthenticationEnabled").asBoolean()).isTrue();
        assertThat(exposed.path("DicomModalities").path("ich").get(1).asText()).isEqualTo("192.0.2.7");
    }

    /** The ports and address `./ich up ARGS` would start the stack with. */
    private static StackPorts parsedUp(String... args) throws Exception {
        dev.ich.cli.IchCommand root = new dev.ich.cli.IchCommand();
        CommandLine cli = new CommandLine(root);
        CommandLine.ParseResult parsed = cli.parseArgs(concat("up", args));
        return (StackPorts) parsed.subcommand().commandSpec().mixins().get("ports").userObject();
    }

    private static String[] concat(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
