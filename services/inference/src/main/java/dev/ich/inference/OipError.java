package dev.ich.inference;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

/**
 * The OpenAPI name of the error body of the Open Inference Protocol, {@code {"error": "..."}}, which /v2 answers in
 * place of ich's Problem ({@link OipResource} says why). The resource writes it as a Jackson tree, so no Java type
 * of its own could carry the schema.
 */
@Schema(name = "OipError", type = SchemaType.OBJECT, requiredProperties = "error",
        properties = @SchemaProperty(name = "error", type = SchemaType.STRING, description = "why, in words"))
final class OipError {
    private OipError() {
    }
}
