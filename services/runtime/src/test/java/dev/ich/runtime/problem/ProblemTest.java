package dev.ich.runtime.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The parts of the problem body that need no running service (the rest: cleaning's ProblemShapeTest). */
class ProblemTest {
    record Split(double valid) {
    }

    record Spec(String name, List<Split> splits) {
    }

    @Test
    void codesAreTheReasonPhraseInOneWord() {
        assertThat(Problem.defaultCode(404)).isEqualTo("NotFound");
        assertThat(Problem.defaultCode(405)).isEqualTo("MethodNotAllowed");
        assertThat(Problem.defaultCode(415)).isEqualTo("UnsupportedMediaType");
        assertThat(Problem.defaultCode(413)).isEqualTo("TooLarge");
        assertThat(Problem.defaultCode(500)).isEqualTo("Internal");
        assertThat(Problem.defaultCode(503)).isEqualTo("Unavailable");
        assertThat(Problem.defaultCode(422)).isEqualTo("UnprocessableContent");
    }

    @Test
    void aMistypedFieldDeepInTheBodyIsNamedByItsPath() {
        MismatchedInputException e = catchThrowableOfType(MismatchedInputException.class, () -> new ObjectMapper()
                .readValue("{\"name\": \"x\",\n \"splits\": [{\"valid\": 0.1}, {\"valid\": \"a tenth\"}]}", Spec.class));
        Problem p = ProblemMappers.json(e);
        assertThat(p.status()).isEqualTo(400);
        assertThat(p.code()).isEqualTo("InvalidJson");
        assertThat(p.field()).isEqualTo("splits[1].valid");
        assertThat(p.detail()).startsWith("the request body is not valid JSON for this endpoint: ").contains("(line 2, column");
    }

    record Pipeline(Integer size, Boolean stratified, String name, List<String> channels) {
    }

    private static ObjectMapper strict() {
        ObjectMapper m = new ObjectMapper();
        new StrictRequestBodies().customize(m);
        return m;
    }

    @Test
    void anUnknownFieldIsNamedWithTheFieldsTheEndpointTakes() {
        MismatchedInputException e = catchThrowableOfType(MismatchedInputException.class,
                () -> strict().readValue("{\"size\": 128, \"sizee\": 64}", Pipeline.class));
        Problem p = ProblemMappers.json(e);
        assertThat(p.field()).isEqualTo("sizee");
        assertThat(p.detail()).isEqualTo("the request body is not valid JSON for this endpoint: unknown field \"sizee\";"
                + " the fields here are channels, name, size, stratified (line 1, column 27)");
    }

    /** What a lenient reader would coerce or drop: each is refused, and the problem names the field. */
    @Test
    void requestBodiesAreReadAsExactlyWhatTheySay() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("{\"size\": \"128\"}", "size");
        refused.put("{\"size\": 1.5}", "size");
        refused.put("{\"size\": true}", "size");
        refused.put("{\"stratified\": \"yes\"}", "stratified");
        refused.put("{\"stratified\": 1}", "stratified");
        refused.put("{\"name\": 12}", "name");
        refused.put("{\"name\": {\"a\": 1}}", "name");
        refused.put("{\"channels\": \"brain\"}", "channels");
        refused.put("{\"size\": 1, \"size\": 2}", null);
        refused.put("{\"size\": 1} {\"size\": 2}", null);
        refused.forEach((body, field) -> {
            JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> strict().readValue(body, Pipeline.class));
            assertThat(e).as(body).isNotNull();
            Problem p = ProblemMappers.json(e);
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.field()).as(body).isEqualTo(field);
            assertThat(p.detail()).as(body).doesNotContain("dev.ich").doesNotContain("java.lang");
        });
        assertThat(catchThrowableOfType(JsonProcessingException.class, () -> strict().readValue("{\"size\": 1} \"x\"", Pipeline.class))
                .getOriginalMessage()).startsWith("Trailing token");
    }

    @Test
    void jacksonsJavaTypesReadAsJsonTypes() {
        assertThat(ProblemMappers.plain("Cannot deserialize value of type `java.lang.Integer` from String \"many\""))
                .isEqualTo("Cannot deserialize value of type whole number from String \"many\"");
        assertThat(ProblemMappers.plain("Cannot deserialize value of type `dev.ich.cleaning.ReprocessResource$ReprocessRequest` from Array"))
                .isEqualTo("Cannot deserialize value of type object from Array");
        assertThat(ProblemMappers.plain("`java.util.ArrayList<java.lang.String>` from String")).isEqualTo("array from String");
        assertThat(ProblemMappers.plain("see `DeserializationFeature.FAIL_ON_X`")).isEqualTo("see `DeserializationFeature.FAIL_ON_X`");
    }

    @Test
    void pathTemplatesMatchTheRequestsTheyServe() {
        assertThat(Endpoints.template("/studies/{study}").matcher("/studies/1.2.3").matches()).isTrue();
        assertThat(Endpoints.template("/studies/{study}").matcher("/studies/1.2.3/series").matches()).isFalse();
        assertThat(Endpoints.template("/jobs/{id: [a-z]+}/log").matcher("/jobs/abc/log").matches()).isTrue();
        assertThat(Endpoints.template("/jobs/{id: [a-z]+}/log").matcher("/jobs/ab1/log").matches()).isFalse();
        assertThat(Endpoints.template("/instances/").matcher("/instances").matches()).isTrue();
        assertThat(Endpoints.template("//pipelines//bins").matcher("/pipelines/bins/").matches()).isTrue();
    }
}
