package dev.ich.testkit.openapi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The judge of the drift tests, judged: each kind of drift it must catch, and the answers it must let through. */
class OpenApiDocumentTest {
    private static final String PROBLEM = "{\"$ref\":\"#/components/schemas/Problem\"}";
    private static final OpenApiDocument DOC = OpenApiDocument.parse("""
            {"openapi": "3.1.0",
             "paths": {
               "/studies/{study}": {"get": {"responses": {
                 "200": {"content": {"multipart/related; type=\\"application/dicom\\"": {}}},
                 "404": {"content": {"application/problem+json": {"schema": %s}}}}}},
               "/studies/{study}/metadata": {"get": {"responses": {
                 "200": {"content": {"application/dicom+json": {"schema": {"type": "array", "items": {"type": "object"}}}}}}}},
               "/jobs": {"post": {"responses": {"202": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Job"}}}},
                                               "204": {"description": "nothing"}}}}},
             "components": {"schemas": {
               "Problem": {"type": "object", "required": ["status", "code"],
                           "properties": {"status": {"type": "integer"}, "code": {"type": "string"}}},
               "Job": {"type": "object", "required": ["id"], "properties": {
                 "id": {"type": "string"}, "state": {"type": "string", "enum": ["QUEUED", "RUNNING"]}}}}}}
            """.formatted(PROBLEM));

    @Test
    void aLiteralSegmentWinsOverAParameter() {
        assertThat(DOC.operation("GET", "/studies/1.2.3/metadata")).contains("GET /studies/{study}/metadata");
        assertThat(DOC.operation("GET", "/studies/1.2.3")).contains("GET /studies/{study}");
        assertThat(DOC.operation("POST", "/studies/1.2.3")).isEmpty();
        assertThat(DOC.operations()).containsExactly("GET /studies/{study}", "GET /studies/{study}/metadata", "POST /jobs");
    }

    @Test
    void declaredAnswersPass() {
        assertThat(DOC.violations("GET", "/studies/1.2", 200, "multipart/related; type=\"application/dicom\"; boundary=x", "--x--")).isEmpty();
        assertThat(DOC.violations("GET", "/studies/1.2", 404, "application/problem+json", "{\"status\":404,\"code\":\"NotFound\"}")).isEmpty();
        assertThat(DOC.violations("GET", "/studies/1.2/metadata", 200, "application/dicom+json", "[{}]")).isEmpty();
        assertThat(DOC.violations("POST", "/jobs", 202, "application/json;charset=UTF-8", "{\"id\":\"j1\",\"state\":\"QUEUED\"}")).isEmpty();
        assertThat(DOC.violations("POST", "/jobs", 204, null, "")).isEmpty();
    }

    @Test
    void anUndeclaredOperationOrStatusIsDrift() {
        assertThat(DOC.violations("DELETE", "/jobs", 204, null, "")).singleElement().asString().contains("no operation");
        assertThat(DOC.violations("GET", "/studies/1.2", 503, "application/problem+json", "{\"status\":503,\"code\":\"Unavailable\"}"))
                .singleElement().asString().contains("does not declare").contains("[200, 404]");
    }

    @Test
    void anUndeclaredMediaTypeIsDrift() {
        assertThat(DOC.violations("GET", "/studies/1.2", 200, "application/json", "{}")).singleElement().asString().contains("declares only");
        assertThat(DOC.violations("GET", "/studies/1.2", 200, "multipart/related; type=\"application/octet-stream\"; boundary=x", "--x--"))
                .singleElement().asString().contains("declares only");
        assertThat(DOC.violations("POST", "/jobs", 204, "application/json", "{}")).singleElement().asString().contains("declares no body");
    }

    @Test
    void aBodyOffItsSchemaIsDrift() {
        assertThat(DOC.violations("POST", "/jobs", 202, "application/json", "{\"state\":\"QUEUED\"}")).singleElement().asString().contains("id");
        assertThat(DOC.violations("POST", "/jobs", 202, "application/json", "{\"id\":\"j\",\"state\":\"LOST\"}")).isNotEmpty();
        assertThat(DOC.violations("GET", "/studies/1.2", 404, "application/problem+json", "{\"status\":\"404\",\"code\":\"NotFound\"}")).isNotEmpty();
        assertThat(DOC.violations("GET", "/studies/1.2/metadata", 200, "application/dicom+json", "{}")).isNotEmpty();
        assertThat(DOC.violations("GET", "/studies/1.2/metadata", 200, "application/dicom+json", "not json")).singleElement()
                .asString().contains("not JSON");
    }
}
