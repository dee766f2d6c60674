package dev.ich.runtime.problem;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The error half of every ich service's OpenAPI document, written once here rather than on each operation: the
 * {@link Problem} schema (from the record itself), {@code application/problem+json} with that schema on every 4xx
 * and 5xx answer, and the refusals an operation gets from the shared runtime by its shape alone (401 and 403 from
 * the security checks on every operation, 400/413/415 where it reads a body, 406 where it answers one, 400 where
 * it takes query parameters, 500 and 503 everywhere). What only an operation's own code refuses (404, 409, 422...) its
 * resource declares with {@code @APIResponse}; the drift test of each service checks both against real answers.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ProblemDocument implements OASFilter {
    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) openAPI.setComponents(OASFactory.createComponents());
        Components components = openAPI.getComponents();
        if (components.getSchemas() == null || !components.getSchemas().containsKey(Problem.SCHEMA)) {
            components.addSchema(Problem.SCHEMA, schema());
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) return;
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) refusals(operation, path.getParameters());
        }
    }

    private static void refusals(Operation operation, List<Parameter> pathParameters) {
        if (operation.getResponses() == null) operation.setResponses(OASFactory.createAPIResponses());
        APIResponses responses = operation.getResponses();
        boolean answersABody = responses.getAPIResponses().entrySet().stream()
                .anyMatch(r -> r.getKey().startsWith("2") && r.getValue().getContent() != null);
        List<Parameter> parameters = new ArrayList<>();
        if (operation.getParameters() != null) parameters.addAll(operation.getParameters());
        if (pathParameters != null) parameters.addAll(pathParameters);
        boolean takesAQuery = parameters.stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY);
        if (operation.getRequestBody() != null) {
            declare(responses, "400", "the body is not what this operation takes (the problem names the field at fault)");
            declare(responses, "413", "the body exceeds this service's limit");
            // An operation that takes any type (and reads what the body is itself) never refuses one by its label.
            boolean anyType = operation.getRequestBody().getContent() != null && operation.getRequestBody().getContent().hasMediaType("*/*");
            if (!anyType) declare(responses, "415", "the body's Content-Type is none this operation takes");
        }
        if (takesAQuery) declare(responses, "400", "a query parameter is unknown or does not read as what it takes");
        if (answersABody) declare(responses, "406", "the Accept header names none of the types this operation answers");
        declare(responses, "401", "no bearer token, or one that does not verify (WWW-Authenticate says why)");
        declare(responses, "403", "the token has none of this operation's roles (the problem names them)");
        declare(responses, "500", "a failure of the service itself; the detail has an error id its log has too");
        // any operation may meet object storage that does not answer (ProblemMappers.storage): an outage, not a bug
        declare(responses, "503", "a service it depends on did not answer (StorageUnavailable...); Retry-After says when to try again");
        for (Map.Entry<String, APIResponse> r : responses.getAPIResponses().entrySet()) {
            boolean error = r.getKey().startsWith("4") || r.getKey().startsWith("5");
            if (error && r.getValue().getContent() == null && r.getValue().getRef() == null) r.getValue().setContent(content());
        }
    }

    private static void declare(APIResponses responses, String status, String description) {
        if (!responses.hasAPIResponse(status)) responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
    }

    /** The problem body as an answer's content, for a filter of a service that declares errors of its own. */
    public static Content content() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(Problem.SCHEMA)));
    }

    /** The record's components as the schema's properties, described where the record describes them. */
    private static org.eclipse.microprofile.openapi.models.media.Schema schema() {
        var problem = OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description(Problem.class.getAnnotation(Schema.class).description());
        for (RecordComponent c : Problem.class.getRecordComponents()) {
            var property = OASFactory.createSchema();
            if (c.getType() == int.class) property.addType(SchemaType.INTEGER).format("int32");
            else if (c.getType() == List.class) property.addType(SchemaType.ARRAY).items(OASFactory.createSchema().addType(SchemaType.STRING));
            else property.addType(SchemaType.STRING);
            Schema about = described(c);
            if (about != null) {
                property.description(about.description());
                if (about.required()) problem.addRequired(c.getName());
            }
            problem.addProperty(c.getName(), property);
        }
        return problem;
    }

    /** {@code @Schema} does not target record components, so Java keeps it on the component's field. */
    private static Schema described(RecordComponent c) {
        try {
            return Problem.class.getDeclaredField(c.getName()).getAnnotation(Schema.class);
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("a record component always has its field", e);
        }
    }
}
