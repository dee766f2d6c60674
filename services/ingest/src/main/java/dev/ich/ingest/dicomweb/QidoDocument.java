package dev.ich.ingest.dicomweb;

import dev.ich.runtime.problem.ProblemDocument;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * What every QIDO-RS operation answers, declared once for the operations tagged {@link #TAG} (the three QIDO-RS
 * resources, whatever level they search): a page of DICOM JSON data sets ({@link QidoSearch}), 400 for a query key
 * or value it does not take ({@link QidoQuery}) or a path UID that is none, 503 while the index is built
 * ({@link DicomWebIndex}). What differs per operation (404 for the study or series a path names) stays on it.
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class QidoDocument implements OASFilter {
    static final String TAG = "QIDO-RS";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) return;
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation op : path.getOperations().values()) {
                if (op.getTags() == null || !op.getTags().contains(TAG)) continue;
                if (op.getResponses() == null) op.setResponses(OASFactory.createAPIResponses());
                APIResponses responses = op.getResponses();
                responses.addAPIResponse("200", OASFactory.createAPIResponse()
                        .description("the matches, one DICOM JSON data set each, a page of them (Warning says when more match)")
                        .content(OASFactory.createContent().addMediaType(QidoSearch.MEDIA_TYPE, OASFactory.createMediaType().schema(
                                OASFactory.createSchema().addType(SchemaType.ARRAY).items(OASFactory.createSchema().ref("DicomJsonDataset"))))));
                refusal(responses, "400", "a query key or value QIDO-RS does not take (field names it), or a path UID that is none");
                refusal(responses, "503", "the DICOMweb index of this replica is still being built");
            }
        }
    }

    private static void refusal(APIResponses responses, String status, String description) {
        APIResponse r = OASFactory.createAPIResponse().description(description).content(ProblemDocument.content());
        responses.addAPIResponse(status, r);
    }
}
