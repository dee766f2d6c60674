package dev.ich.ingest.dicomweb;

import dev.ich.ingest.IngestConfig;
import dev.ich.ingest.dicomweb.QidoAttribute.Level;
import dev.ich.runtime.audit.AuditEntities;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * What every QIDO-RS request goes through, whichever resource took it: its query read for the level asked (a bad
 * key is a 400 before the index is asked), the index searched once it is ready, and the page answered.
 */
@RequestScoped
class QidoAnswers {
    @Inject
    DicomWebIndex index;
    @Inject
    IngestConfig config;
    @Inject
    AuditEntities audit;
    @Inject
    UriInfo uri;

    /** {@code relational}: a query across studies (or series), whose answers carry the attributes of the levels above. */
    Response answer(Level level, boolean relational, BiFunction<InstanceIndex, QidoQuery, Stream<QidoSearch.Hit>> search) {
        QidoQuery q = QidoQuery.parse(uri.getQueryParameters(), level);
        Stream<QidoSearch.Hit> hits = search.apply(index.ready(), q);
        return new QidoSearch(uri.getBaseUri(), config.dicomweb().maxResults(), audit).answer(hits, level, relational, q);
    }

    /** The one study a path names, if its study-level keys match. */
    static Stream<QidoSearch.Hit> study(InstanceIndex ready, String study, QidoQuery q) {
        return QidoSearch.studies(Stream.of(DicomWebPaths.study(ready, study)), q);
    }
}
