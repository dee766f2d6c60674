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

    /** {@code http://host:port/} of the running test application's management interface. */
    public static String root() {
        return URI.create(TestHTTPResourceManager.getManagementUri()).resolve("/").toString();
    }
}
