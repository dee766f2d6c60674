package dev.ich.runtime.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

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
