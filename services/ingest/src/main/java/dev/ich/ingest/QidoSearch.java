package dev.ich.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.event.Events;
import dev.ich.ingest.InstanceIndex.Instance;
import dev.ich.ingest.InstanceIndex.Series;
import dev.ich.ingest.InstanceIndex.Study;
import dev.ich.ingest.QidoAttribute.Level;
import dev.ich.runtime.audit.AuditEntities;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One QIDO-RS answer: the index entries a {@link QidoQuery} matches at a level, in a stable order (studies newest
 * first, series and instances by number), the page {@code offset}/{@code limit} asks for (at most
 * {@code ich.ingest.dicomweb.max-results}), each as a DICOM JSON object of its return attributes.
 */
final class QidoSearch {
    static final String MEDIA_TYPE = StoreResponse.MEDIA_TYPE;
    /** Returned at whatever level is asked, about the entry of that level. */
    private static final Set<QidoAttribute> EVERY_LEVEL = Set.of(QidoAttribute.RetrieveURL, QidoAttribute.InstanceAvailability);

    /** A matched entry: the study, and at lower levels the series and the instance. */
    record Hit(Study study, Series series, Instance instance) {
    }

    private final URI base;
    private final int maxResults;
    private final AuditEntities audit;

    QidoSearch(URI base, int maxResults, AuditEntities audit) {
        this.base = base;
        this.maxResults = maxResults;
        this.audit = audit;
    }

    static Stream<Hit> series(Stream<Study> studies) {
        return studies.flatMap(st -> st.series().values().stream().map(se -> new Hit(st, se, null)));
    }

    static Stream<Hit> instances(Stream<Hit> series) {
        return series.flatMap(h -> h.series().instances().values().stream().map(in -> new Hit(h.study(), h.series(), in)));
    }

    /** Matches, orders, pages and renders {@code candidates}; {@code relational}: upper levels' attributes too. */
    Response answer(Stream<Hit> candidates, Level level, boolean relational, QidoQuery q) {
        List<Hit> hits = candidates.filter(h -> matches(h, level, q)).sorted(order(level)).toList();
        int pageSize = q.limit == null ? maxResults : Math.min(q.limit, maxResults);
        int from = Math.min(q.offset, hits.size());
        int to = Math.min(hits.size(), from + pageSize);
        List<String> warnings = new ArrayList<>(q.warnings);
        if (to < hits.size()) {
            warnings.add(q.limit != null && q.limit <= maxResults
                    ? "299 ich \"" + hits.size() + " results match; " + (to - from) + " returned from offset " + from
                    + " (limit " + q.limit + "). Additional results can be requested with offset=" + to + ".\""
                    : "299 ich \"The number of results exceeded the maximum supported by the server (" + maxResults
                    + "). Additional results can be requested with offset=" + to + ".\"");
        }
        ArrayNode body = Events.JSON.createArrayNode();
        for (Hit h : hits.subList(from, to)) {
            body.add(render(h, level, relational, q));
            audit.add("study", h.study().uid());
            if (h.series() != null) audit.add("series", h.series().uid());
            if (h.instance() != null) audit.add("instance", h.instance().sopInstanceUid());
        }
        Response.ResponseBuilder r = Response.ok(body).type(MEDIA_TYPE);
        warnings.forEach(w -> r.header("Warning", w));
        return r.build();
    }

    private static boolean matches(Hit h, Level level, QidoQuery q) {
        for (QidoQuery.Key k : q.keysAt(Level.STUDY)) {
            List<String> values = k.attribute() == QidoAttribute.ModalitiesInStudy ? h.study().modalities()
                    : QidoQuery.values(h.study().attributes().get(k.attribute().tag));
            if (!k.matches(values)) return false;
        }
        if (level.ordinal() >= Level.SERIES.ordinal()) {
            for (QidoQuery.Key k : q.keysAt(Level.SERIES)) {
                if (!k.matches(QidoQuery.values(h.series().attributes().get(k.attribute().tag)))) return false;
            }
        }
        if (level == Level.INSTANCE) {
            for (QidoQuery.Key k : q.keysAt(Level.INSTANCE)) {
                if (!k.matches(QidoQuery.values(h.instance().attributes().get(k.attribute().tag)))) return false;
            }
        }
        return true;
    }

    private ObjectNode render(Hit h, Level level, boolean relational, QidoQuery q) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        for (QidoAttribute a : QidoAttribute.values()) {
            if (a.level.ordinal() > level.ordinal()) continue;
            boolean ownLevel = a.level == level || EVERY_LEVEL.contains(a);
            boolean wanted = q.includeAll || q.included.contains(a) || q.keys.containsKey(a)
                    || a.required && (ownLevel || relational)
                    || a == QidoAttribute.StudyInstanceUID || a == QidoAttribute.SeriesInstanceUID;
            if (wanted) sorted.put(a.tag, value(a, h, level));
        }
        ObjectNode out = Events.JSON.createObjectNode();
        sorted.forEach(out::set);
        return out;
    }

    private JsonNode value(QidoAttribute a, Hit h, Level level) {
        ObjectNode e = Events.JSON.createObjectNode().put("vr", a.vr);
        switch (a) {
            case RetrieveURL -> e.putArray("Value").add(retrieveUrl(h, level));
            case InstanceAvailability -> e.putArray("Value").add("ONLINE");
            case ModalitiesInStudy -> {
                List<String> m = h.study().modalities();
                if (!m.isEmpty()) m.forEach(e.putArray("Value")::add);
            }
            case NumberOfStudyRelatedSeries -> e.putArray("Value").add(h.study().series().size());
            case NumberOfStudyRelatedInstances -> e.putArray("Value").add(h.study().instanceCount());
            case NumberOfSeriesRelatedInstances -> e.putArray("Value").add(h.series().instances().size());
            case AvailableTransferSyntaxUID -> {
                if (h.instance().transferSyntaxUid() != null) e.putArray("Value").add(h.instance().transferSyntaxUid());
            }
            default -> {
                ObjectNode attributes = switch (a.level) {
                    case STUDY -> h.study().attributes();
                    case SERIES -> h.series().attributes();
                    case INSTANCE -> h.instance().attributes();
                };
                JsonNode stored = attributes.get(a.tag);
                return stored != null ? stored : e;
            }
        }
        return e;
    }

    private String retrieveUrl(Hit h, Level level) {
        String url = base.toString().replaceAll("/+$", "") + "/studies/" + h.study().uid();
        if (level.ordinal() >= Level.SERIES.ordinal()) url += "/series/" + h.series().uid();
        if (level == Level.INSTANCE) url += "/instances/" + h.instance().sopInstanceUid();
        return url;
    }

    static Comparator<Hit> order(Level level) {
        Comparator<Hit> studies = Comparator.<Hit, String>comparing(h -> first(h.study().attributes(), QidoAttribute.StudyDate)
                        + first(h.study().attributes(), QidoAttribute.StudyTime)).reversed()
                .thenComparing(h -> h.study().uid());
        if (level == Level.STUDY) return studies;
        Comparator<Hit> series = studies.thenComparing(h -> number(h.series().attributes(), QidoAttribute.SeriesNumber))
                .thenComparing(h -> h.series().uid());
        if (level == Level.SERIES) return series;
        return series.thenComparing(h -> number(h.instance().attributes(), QidoAttribute.InstanceNumber))
                .thenComparing(h -> h.instance().sopInstanceUid());
    }

    private static String first(ObjectNode attributes, QidoAttribute a) {
        List<String> v = QidoQuery.values(attributes.get(a.tag));
        return v.isEmpty() ? "" : v.get(0);
    }

    /** Numbered entries first, in number order; those without a number after them. */
    private static BigDecimal number(ObjectNode attributes, QidoAttribute a) {
        try {
            String v = first(attributes, a);
            return v.isEmpty() ? BigDecimal.valueOf(Long.MAX_VALUE) : new BigDecimal(v);
        } catch (NumberFormatException e) {
            return BigDecimal.valueOf(Long.MAX_VALUE);
        }
    }
}
