package dev.ich.ingest.dicomweb;

import dev.ich.ingest.stow.StoreResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.event.Events;
import dev.ich.ingest.dicomweb.InstanceIndex.Instance;
import dev.ich.ingest.dicomweb.InstanceIndex.Series;
import dev.ich.ingest.dicomweb.InstanceIndex.Study;
import dev.ich.ingest.dicomweb.QidoAttribute.Level;
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

    /**
     * The studies whose study-level keys match, then (below) their series and instances whose own keys match: each
     * level is tested once per entry, so a study key costs one test per study, not one per slice.
     */
    static Stream<Hit> studies(Stream<Study> studies, QidoQuery q) {
        return studies.filter(st -> matches(q.studyKeys, key -> key.attribute() == QidoAttribute.ModalitiesInStudy
                ? st.modalities() : QidoQuery.values(st.attributes().get(key.attribute().tag)))).map(st -> new Hit(st, null, null));
    }

    static Stream<Hit> series(Stream<Hit> studies, QidoQuery q) {
        return studies.flatMap(h -> h.study().series().values().stream().map(se -> new Hit(h.study(), se, null)))
                .filter(h -> matches(q.seriesKeys, key -> QidoQuery.values(h.series().attributes().get(key.attribute().tag))));
    }

    static Stream<Hit> instances(Stream<Hit> series, QidoQuery q) {
        return series.flatMap(h -> h.series().instances().values().stream().map(in -> new Hit(h.study(), h.series(), in)))
                .filter(h -> matches(q.instanceKeys, key -> QidoQuery.values(h.instance().attributes().get(key.attribute().tag))));
    }

    private static boolean matches(List<QidoQuery.Key> keys, java.util.function.Function<QidoQuery.Key, List<String>> values) {
        for (QidoQuery.Key k : keys) {
            if (!k.universal() && !k.matches(values.apply(k))) return false;
        }
        return true;
    }

    /** Orders, pages and renders matched {@code hits}; {@code relational}: upper levels' attributes too. */
    Response answer(Stream<Hit> matched, Level level, boolean relational, QidoQuery q) {
        List<Hit> hits = ordered(matched, level);
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

    /** Sort keys read once per hit: studies newest first, then series and instances by number, UIDs breaking ties. */
    private record Keyed(Hit hit, String when, BigDecimal seriesNumber, BigDecimal instanceNumber) {
    }

    static List<Hit> ordered(Stream<Hit> hits, Level level) {
        Comparator<Keyed> order = Comparator.comparing(Keyed::when).reversed().thenComparing(k -> k.hit().study().uid());
        if (level != Level.STUDY) order = order.thenComparing(Keyed::seriesNumber).thenComparing(k -> k.hit().series().uid());
        if (level == Level.INSTANCE) {
            order = order.thenComparing(Keyed::instanceNumber).thenComparing(k -> k.hit().instance().sopInstanceUid());
        }
        return hits.map(h -> new Keyed(h, first(h.study().attributes(), QidoAttribute.StudyDate)
                        + first(h.study().attributes(), QidoAttribute.StudyTime),
                        h.series() == null ? null : number(h.series().attributes(), QidoAttribute.SeriesNumber),
                        h.instance() == null ? null : number(h.instance().attributes(), QidoAttribute.InstanceNumber)))
                .sorted(order).map(Keyed::hit).toList();
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
