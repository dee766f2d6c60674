package dev.ich.runtime.openapi;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ich's answers are written by Jackson with its defaults, so a record component without a value is sent as
 * {@code null}, not left out. The scanner writes such a property as its bare type (a string, a $ref), which a
 * validating client rejects on the first null; this filter says what the services send: every property a schema
 * does not list as required may also be {@code null} (OpenAPI 3.1's {@code type: [string, "null"]}).
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OptionalMeansNullable implements OASFilter {
    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Set<Schema> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        if (openAPI.getComponents() != null && openAPI.getComponents().getSchemas() != null) {
            openAPI.getComponents().getSchemas().values().forEach(s -> walk(s, seen));
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) return;
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation op : path.getOperations().values()) {
                if (op.getResponses() != null) op.getResponses().getAPIResponses().values().forEach(r -> walk(r.getContent(), seen));
            }
        }
    }

    private static void walk(Content content, Set<Schema> seen) {
        if (content == null || content.getMediaTypes() == null) return;
        content.getMediaTypes().values().forEach(m -> walk(m.getSchema(), seen));
    }

    private static void walk(Schema schema, Set<Schema> seen) {
        if (schema == null || !seen.add(schema)) return;
        if (schema.getItems() != null) walk(schema.getItems(), seen);
        if (schema.getProperties() == null) return;
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        for (Map.Entry<String, Schema> p : new ArrayList<>(schema.getProperties().entrySet())) {
            walk(p.getValue(), seen);
            if (!required.contains(p.getKey())) schema.addProperty(p.getKey(), nullable(p.getValue()));
        }
    }

    private static Schema nullable(Schema property) {
        if (property.getRef() != null) {
            return OASFactory.createSchema().anyOf(List.of(property, OASFactory.createSchema().addType(SchemaType.NULL)));
        }
        if (property.getType() != null && !property.getType().isEmpty() && !property.getType().contains(SchemaType.NULL)) {
            property.addType(SchemaType.NULL);
            // An enumeration lists every value allowed, so null must be one of them too.
            if (property.getEnumeration() != null && !property.getEnumeration().contains(null)) property.addEnumeration(null);
        }
        return property;
    }
}
