package dev.ich.testkit.quarkus;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.net.URI;

/**
 * RestAssured on the service's management interface, where health, metrics and OpenAPI live (a port of its own,
 * never routed by the Ingress): {@code Management.given().get("/q/health/ready")}.
 */
public final class Management {
    private Management() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().baseUri(root()).port(URI.create(root()).getPort());
    }

    /**
     * The value of the Prometheus series {@code name} with the label {@code label} among its labels (e.g.
     * {@code metric("ich_events_repeated_total", "topic=\"dicom-ingested\"")}; an empty label: any), 0 when it is not
     * there (yet).
     */
    public static double metric(String name, String label) {
        for (String line : given().get("/q/metrics").then().statusCode(200).extract().asString().split("\n")) {
            boolean labelled = line.startsWith(name + "{") && line.substring(0, line.indexOf('}') + 1).contains(label);
            boolean bare = label.isEmpty() && line.startsWith(name + " ");
            if (labelled || bare) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
        }
        return 0;
    }

    /** {@code http://host:port/} of the running test application's management interface. */
    public static String root() {
        return URI.create(TestHTTPResourceManager.getManagementUri()).resolve("/").toString();
    }
}
