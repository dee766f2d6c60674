package dev.ich.inference;

import dev.ich.runtime.problem.Problem;
import dev.ich.runtime.problem.ProblemDocument;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

import java.util.Map;
import java.util.Set;

/**
 * The error body of the Open Inference Protocol in the document, once: {@link OipResource} answers what it refuses
 * itself as {@code {"error": "..."}} (the {@code OipError} schema), while the refusals of the shared runtime before
 * it is reached (401, 403, 406, a Throwable nothing maps) stay Problems. So every other error status of an
 * operation tagged {@link #TAG} may carry either body.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class OipDocument implements OASFilter {
    static final String TAG = "Open Inference Protocol";
    private static final String SCHEMA = "OipError";
    private static final Set<String> SHARED_REFUSALS = Set.of("401", "403", "406");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) openAPI.setComponents(OASFactory.createComponents());
        openAPI.getComponents().addSchema(SCHEMA, OASFactory.createSchema().addType(SchemaType.OBJECT).addRequired("error")
                .description("the Open Inference Protocol's error body")
                .addProperty("error", OASFactory.createSchema().addType(SchemaType.STRING).description("why, in words")));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) return;
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation op : path.getOperations().values()) {
                if (op.getTags() == null || !op.getTags().contains(TAG) || op.getResponses() == null) continue;
                for (Map.Entry<String, APIResponse> r : op.getResponses().getAPIResponses().entrySet()) {
                    boolean error = r.getKey().startsWith("4") || r.getKey().startsWith("5");
                    if (error && !SHARED_REFUSALS.contains(r.getKey()) && !answersItsOwnBody(r.getValue())) r.getValue().setContent(either());
                }
            }
        }
    }

    /** An error an operation declares with a body of its own (readiness: ready false, and why) keeps it. */
    private static boolean answersItsOwnBody(APIResponse response) {
        return response.getContent() != null && response.getContent().getMediaTypes() != null
                && response.getContent().getMediaTypes().keySet().stream().anyMatch(t -> !t.equals(Problem.MEDIA_TYPE));
    }

    private static Content either() {
        Content content = ProblemDocument.content();
        content.addMediaType("application/json", OASFactory.createMediaType().schema(OASFactory.createSchema().ref(SCHEMA)));
        return content;
    }
}
