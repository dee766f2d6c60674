package dev.ich.testkit.openapi;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Holds a service to its own OpenAPI document while its tests run: installed, every RestAssured exchange of the test
 * JVM is checked against the document the service serves ({@link OpenApiDocument}), and one the document does not
 * declare (an operation, a status, a media type, a body off its schema) fails the request that got it, naming what
 * drifted. It also records which operations were answered, so a drift test can say it tried every one.
 */
public final class OpenApiContract implements Filter {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final OpenApiDocument document;
    private final Set<String> exercised = new TreeSet<>();
    private final List<String> checked = new ArrayList<>();

    private OpenApiContract(OpenApiDocument document) {
        this.document = document;
    }

    /** Reads the document at {@code openapi} (the management {@code /q/openapi}) and checks every exchange from now on. */
    public static OpenApiContract install(URI openapi) {
        OpenApiContract contract = new OpenApiContract(OpenApiDocument.parse(fetch(openapi)));
        RestAssured.filters(contract);
        return contract;
    }

    public void uninstall() {
        List<Filter> rest = new ArrayList<>(RestAssured.filters());
        rest.remove(this);
        RestAssured.replaceFiltersWith(rest);
    }

    public OpenApiDocument document() {
        return document;
    }

    /** The document's operations no checked exchange was an answer of. */
    public synchronized Set<String> notExercised() {
        Set<String> left = new TreeSet<>(document.operations());
        left.removeAll(exercised);
        return left;
    }

    /** {@code "GET /studies/{study} 404"} for each exchange checked, in order. */
    public synchronized List<String> checked() {
        return List.copyOf(checked);
    }

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext ctx) {
        Response answer = ctx.next(request, response);
        String method = request.getMethod();
        String path = URI.create(request.getURI()).getRawPath();
        String type = answer.getContentType() == null || answer.getContentType().isEmpty() ? null : answer.getContentType();
        List<String> wrong = document.violations(method, path, answer.getStatusCode(), type, answer.asString());
        synchronized (this) {
            document.operation(method, path).ifPresent(op -> {
                exercised.add(op);
                checked.add(op + " " + answer.getStatusCode());
            });
        }
        if (!wrong.isEmpty()) throw new AssertionError("the answer drifted from the OpenAPI document: " + String.join("; ", wrong));
        return answer;
    }

    private static String fetch(URI openapi) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(openapi).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException(openapi + " answered " + r.statusCode() + ": " + r.body());
            return r.body();
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + openapi + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + openapi, e);
        }
    }
}
