package dev.ich.cleaning.problem;

import dev.ich.core.contract.Roles;
import dev.ich.runtime.problem.ApiProblem;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/**
 * Answers the runtime's problem mappers can only be shown with a resource that misbehaves on purpose: an
 * exception nothing maps, a bare status, a body type no cleaning endpoint has. Test sources only.
 */
@Path("/test-problems")
@RolesAllowed(Roles.READER) // every operation needs a role, test probes too (deny-unannotated-endpoints)
public class ProbeResource {
    static final String SECRET = "s3cret-key-AKIA0000";

    @GET
    @Path("api-problem")
    public String apiProblem() {
        throw new ApiProblem(422, "InvalidField", "threshold must be within 0..1, not 7", "pipeline.threshold", null);
    }

    @GET
    @Path("internal")
    public String internal() {
        throw new IllegalStateException("cannot reach http://minio:9000 with " + SECRET);
    }

    @GET
    @Path("bare")
    public Response bare() {
        return Response.status(409).build();
    }

    @GET
    @Path("typed-query")
    public String typedQuery(@QueryParam("min_pct") Double minPct, @QueryParam("flagged") @DefaultValue("false") boolean flagged,
                             @QueryParam("limit") @DefaultValue("50") int limit) {
        return minPct + " " + flagged + " " + limit;
    }

    @POST
    @Path("dicom")
    @Consumes("application/dicom")
    public String dicom(byte[] body) {
        return "read " + body.length + " bytes";
    }
}
