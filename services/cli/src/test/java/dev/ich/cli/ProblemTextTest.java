package dev.ich.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI reads refusals in the one shape every service answers: detail first, then code (and field). */
class ProblemTextTest {
    @Test
    void aProblemBodyReadsAsItsDetailAndCode() {
        assertThat(ProblemText.of("{\"type\":\"urn:ich:problem:NotFound\",\"title\":\"Not Found\",\"status\":404,"
                + "\"detail\":\"no dataset any@v9\",\"instance\":\"/datasets/any@v9\",\"code\":\"NotFound\"}"))
                .isEqualTo("no dataset any@v9 (NotFound)");
        assertThat(ProblemText.of("{\"status\":422,\"detail\":\"epochs must be 1..100, not 0\",\"code\":\"InvalidField\",\"field\":\"epochs\"}"))
                .isEqualTo("epochs must be 1..100, not 0 (InvalidField, field epochs)");
    }

    @Test
    void otherBodiesAreShownAsTheyCame() {
        // the old shapes are gone from ich: a body with reason or error but no detail is not read as one
        assertThat(ProblemText.of("{\"error\":\"NotDicom\",\"reason\":\"not a DICOM file\"}")).isEqualTo("{\"error\":\"NotDicom\",\"reason\":\"not a DICOM file\"}");
        assertThat(ProblemText.of("<html>502 Bad Gateway</html>")).isEqualTo("<html>502 Bad Gateway</html>");
        assertThat(ProblemText.of("")).isEqualTo("(no body)");
    }
}
