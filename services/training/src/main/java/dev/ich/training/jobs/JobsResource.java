package dev.ich.training.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.contract.Roles;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.event.Events;
import dev.ich.runtime.operation.Operation;
import dev.ich.runtime.operation.OperationState;
import dev.ich.runtime.problem.ApiProblem;
import dev.ich.training.launch.Launcher;
import dev.ich.training.launch.LocalProcessLauncher;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.resteasy.reactive.RestResponse;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.function.BiConsumer;

/** The job API (docs/training-api.md): submit, list, follow, cancel, and read what a job wrote. */
@Path("/jobs")
@Blocking
public class JobsResource {
    @Inject
    Jobs jobs;

    @Inject
    ObjectStore store;

    @Inject
    Launcher launcher;

    @RolesAllowed({Roles.TRAINER})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RequestBody(required = true, description = "the job spec (docs/training.md)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "202", description = "the job as an operation, pending (or failed when it could not be launched);"
            + " Location is its status",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = JobDetails.OPERATION_SCHEMA)))
    @APIResponse(responseCode = "400", description = "no job spec, or not JSON")
    @APIResponse(responseCode = "409", description = "a job or run of this id exists already")
    @APIResponse(responseCode = "422", description = "a field of the spec is out of range or names nothing (field names it)")
    public RestResponse<Operation<JobDetails>> submit(JsonNode body) throws IOException {
        if (body == null) throw ApiProblem.badRequest("the body must be a job spec (JSON)");
        Job job = jobs.submit(body);
        return RestResponse.ResponseBuilder.accepted(job.operation()).location(URI.create("/jobs/" + job.id())).build();
    }

    @RolesAllowed({Roles.TRAINER, Roles.READER})
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "the jobs as operations, newest first")
    @APIResponse(responseCode = "400", description = "state names no operation state (pending, running, succeeded, failed, cancelled,"
            + " interrupted; any case)")
    public List<Operation<JobDetails>> list(@QueryParam("state") String state) {
        OperationState s;
        try {
            s = state == null || state.isBlank() ? null : OperationState.parse(state);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
        return jobs.list(s).stream().map(Job::operation).toList();
    }

    @RolesAllowed({Roles.TRAINER, Roles.READER})
    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "the job as an operation, whatever its state: pending, running, succeeded,"
            + " failed (failure says why) or cancelled")
    @APIResponse(responseCode = "404", description = "no job of this id")
    public Operation<JobDetails> get(@PathParam("id") String id) {
        return jobs.get(id).operation();
    }

    @RolesAllowed({Roles.TRAINER})
    @DELETE
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @APIResponse(responseCode = "200", description = "the job as an operation, cancelled")
    @APIResponse(responseCode = "404", description = "no job of this id")
    @APIResponse(responseCode = "409", description = "the job has already ended otherwise")
    public Operation<JobDetails> cancel(@PathParam("id") String id) {
        Job job = jobs.get(id);
        if (job.state().terminal() && job.state() != OperationState.cancelled) {
            throw ApiProblem.conflict("job " + id + " has already ended " + job.state().word() + ": nothing to cancel");
        }
        return jobs.cancel(id).operation();
    }

    /**
     * Server-sent events: the job now ({@code state}), then one event per change, named after what caused it
     * ({@code started}, {@code progress}, {@code epoch}, {@code completed}, {@code failed}, {@code cancelled} or
     * {@code state} for what the launcher saw), each carrying the job as an operation (what GET answers); the stream
     * ends with the job.
     */
    @RolesAllowed({Roles.TRAINER, Roles.READER})
    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @APIResponse(responseCode = "200", description = "a state event now and one per change, each the job's operation as JSON, until it ends",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "no job of this id")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        Job job = jobs.get(id);
        return Multi.createFrom().emitter(em -> {
            BiConsumer<String, Job> listener = (event, changed) -> {
                if (changed != job) return;
                em.emit(event(sse, event, changed));
                if (changed.state().terminal()) em.complete();
            };
            jobs.listen(listener);
            em.onTermination(() -> jobs.unlisten(listener));
            em.emit(event(sse, "state", job));
            if (job.state().terminal()) em.complete();
        });
    }

    private static OutboundSseEvent event(Sse sse, String name, Job job) {
        return sse.newEventBuilder().name(name).mediaType(MediaType.APPLICATION_JSON_TYPE).data(ObjectNode.class,
                Events.JSON.valueToTree(job.operation())).build();
    }

    /** The trainer's report.html; for a sweep, a summary page linking each seed's report. Runs of a sweep have theirs too. */
    @RolesAllowed({Roles.TRAINER})
    @GET
    @Path("{id}/report")
    @Produces(MediaType.TEXT_HTML)
    @APIResponse(responseCode = "200", description = "the job's (or sweep's) report",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "no job of this id, or its report is not written yet")
    public Response report(@PathParam("id") String id) {
        Job job = jobs.find(id).orElse(null);
        if (job != null && job.sweep()) return Response.ok(SweepReport.html(job)).build();
        if (job == null && jobs.owner(id).isEmpty()) throw ApiProblem.notFound("no job " + id);
        return file(id, "report.html");
    }

    /** A file of the job's folder: the plots (*.png), metrics.json, spec.json, lr-finder.json. */
    @RolesAllowed({Roles.TRAINER})
    @GET
    @Path("{id}/files/{name}")
    @APIResponse(responseCode = "200", description = "a file the trainer wrote into the job's folder", content = {
            @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
            @Content(mediaType = MediaType.APPLICATION_JSON), @Content(mediaType = MediaType.TEXT_HTML)})
    @APIResponse(responseCode = "400", description = "the name is no *.png, *.json or *.html of the job's folder")
    @APIResponse(responseCode = "404", description = "no job of this id, or the file is not written yet")
    public Response file(@PathParam("id") String id, @PathParam("name") String name) {
        if (jobs.find(id).isEmpty() && jobs.owner(id).isEmpty()) throw ApiProblem.notFound("no job " + id);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*\\.(png|json|html)")) {
            throw ApiProblem.badRequest("files are *.png, *.json or *.html in the job's folder, not '" + name + "'");
        }
        String key = ObjectKeys.job(id) + name;
        if (store.stat(key).isEmpty()) {
            throw ApiProblem.notFound(key + " is not written yet: the trainer writes its plots and report.html when the job ends");
        }
        String type = name.endsWith(".png") ? "image/png" : name.endsWith(".html") ? MediaType.TEXT_HTML : MediaType.APPLICATION_JSON;
        return Response.ok(store.get(key), type).build();
    }

    /** The trainer's console (local launcher): events as lines, and a failure's stack of reasons. */
    @RolesAllowed({Roles.TRAINER})
    @GET
    @Path("{id}/log")
    @Produces(MediaType.TEXT_PLAIN)
    @APIResponse(responseCode = "200", description = "the trainer's log of a locally run job",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "404", description = "no job of this id, no log yet, a sweep (a log per run), or a Kubernetes Job (kubectl logs)")
    public String log(@PathParam("id") String id) throws IOException {
        if (jobs.find(id).isEmpty() && jobs.owner(id).isEmpty()) throw ApiProblem.notFound("no job " + id);
        if (!(launcher instanceof LocalProcessLauncher local)) {
            throw ApiProblem.notFound("logs of Kubernetes Jobs are the pods' logs: kubectl logs -l ich.dev/job-id=" + id);
        }
        java.nio.file.Path log = local.log(id);
        if (!Files.exists(log)) {
            Job job = jobs.get(id);
            if (job.runs().size() > 1) throw ApiProblem.notFound("a sweep has a log per run: /jobs/<run id>/log, runs " + job.runs().stream().map(Run::id).toList());
            throw ApiProblem.notFound("no log for " + id + " yet");
        }
        return Files.readString(log);
    }
}
