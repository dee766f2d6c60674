package dev.ich.labeling.slices;

import dev.ich.core.contract.Roles;
import dev.ich.labeling.table.Database;
import dev.ich.labeling.table.SliceTable;
import dev.ich.runtime.audit.Audited;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Statement;

/** {@code GET /slices.parquet}: the whole metadata table in one file. */
@Path("/slices.parquet")
@Blocking
public class SlicesParquetResource {
    public static final String PARQUET = "application/vnd.apache.parquet";

    @Inject
    Database db;

    /** The whole table, for pandas ({@code pd.read_parquet}) or DuckDB. */
    @RolesAllowed({Roles.READER, Roles.CURATOR})
    @Audited("R")
    @GET
    @Produces(PARQUET)
    @APIResponse(responseCode = "200", description = "the whole metadata table as one Parquet file",
            content = @Content(mediaType = PARQUET, schema = @Schema(type = SchemaType.STRING, format = "binary")))
    public Response parquet() throws IOException {
        java.nio.file.Path file = Files.createTempFile("ich-slices", ".parquet");
        db.with(c -> {
            try (Statement s = c.createStatement()) {
                Files.deleteIfExists(file); // DuckDB writes the file itself
                s.execute("COPY (SELECT * FROM " + SliceTable.TABLE + " ORDER BY uid) TO '"
                        + file.toAbsolutePath().toString().replace("'", "''") + "' (FORMAT PARQUET)");
            }
            return null;
        });
        StreamingOutput body = out -> {
            try {
                Files.copy(file, out);
            } finally {
                Files.deleteIfExists(file);
            }
        };
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"slices.parquet\"")
                .header("Content-Length", Files.size(file)).build();
    }
}
