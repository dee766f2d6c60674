package dev.ich.testkit;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.util.ArrayList;
import java.util.List;

/**
 * Sends every RestAssured request of a test JVM with {@code Authorization: Bearer <token>} unless the request sets
 * its own Authorization header. A filter rather than a default request specification: a specification would freeze
 * the port and base URI of the moment it was built, and Quarkus gives a restarted test application a new port.
 */
public final class DefaultBearer implements Filter {
    private final String token;

    private DefaultBearer(String token) {
        this.token = token;
    }

    /**
     * Installs it ahead of every filter already there: the newest default wins. A test JVM can hold two (a Quarkus
     * integration test's resources stay up while a later class starts a service of its own with another issuer), and
     * the older one's token would otherwise go first and be refused (401) by the newer service.
     */
    public static DefaultBearer install(String token) {
        DefaultBearer filter = new DefaultBearer(token);
        List<Filter> all = new ArrayList<>();
        all.add(filter);
        all.addAll(RestAssured.filters());
        RestAssured.replaceFiltersWith(all);
        return filter;
    }

    public void uninstall() {
        List<Filter> rest = new ArrayList<>(RestAssured.filters());
        rest.remove(this);
        RestAssured.replaceFiltersWith(rest);
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
        if (!request.getHeaders().hasHeaderWithName("Authorization")) request.header("Authorization", "Bearer " + token);
        return ctx.next(request, response);
    }
}
