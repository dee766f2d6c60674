package dev.ich.ingest.dicomweb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ich.core.event.Events;
import dev.ich.ingest.dicomweb.QidoAttribute.Level;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-memory study / series / instance tree QIDO-RS searches and WADO-RS resolves: built from index records, one
 * entry per SOP Instance UID, each level holding its own attributes once (so a study's patient attributes are not
 * repeated per slice). Safe to read while records are added; entries are never changed once added.
 */
final class InstanceIndex {
    private final ConcurrentMap<String, Study> studies = new ConcurrentHashMap<>();
    private final Set<String> sops = ConcurrentHashMap.newKeySet();

    record Instance(String sopInstanceUid, String objectKey, long size, String transferSyntaxUid, ObjectNode attributes) {
    }

    record Series(String uid, ObjectNode attributes, ConcurrentMap<String, Instance> instances) {
        Optional<Instance> instance(String sop) {
            return Optional.ofNullable(instances.get(sop));
        }
    }

    record Study(String uid, ObjectNode attributes, ConcurrentMap<String, Series> series) {
        Optional<Series> series(String uid) {
            return Optional.ofNullable(series.get(uid));
        }

        int instanceCount() {
            return series.values().stream().mapToInt(s -> s.instances().size()).sum();
        }

        /** The Modality of each series, sorted: ModalitiesInStudy. */
        List<String> modalities() {
            Set<String> m = new TreeSet<>();
            for (Series s : series.values()) {
                JsonNode v = s.attributes().path(QidoAttribute.Modality.tag).path("Value").path(0);
                if (v.isTextual() && !v.asText().isBlank()) m.add(v.asText());
            }
            return List.copyOf(m);
        }
    }

    /** Adds the instance a record describes; false when it is indexed already (or names no study, series or SOP). */
    boolean add(IndexRecord r) {
        String study = r.studyInstanceUid();
        String seriesUid = r.seriesInstanceUid();
        String sop = r.sopInstanceUid();
        if (study == null || seriesUid == null || sop == null || !sops.add(sop)) return false;
        Study st = studies.computeIfAbsent(study, u -> new Study(u, pick(r, Level.STUDY), new ConcurrentHashMap<>()));
        Series se = st.series().computeIfAbsent(seriesUid, u -> new Series(u, pick(r, Level.SERIES), new ConcurrentHashMap<>()));
        se.instances().put(sop, new Instance(sop, r.objectKey(), r.size(), r.transferSyntaxUid(), pick(r, Level.INSTANCE)));
        return true;
    }

    boolean contains(String sop) {
        return sops.contains(sop);
    }

    int size() {
        return sops.size();
    }

    Collection<Study> studies() {
        return studies.values();
    }

    Optional<Study> study(String uid) {
        return Optional.ofNullable(studies.get(uid));
    }

    private static ObjectNode pick(IndexRecord r, Level level) {
        ObjectNode out = Events.JSON.createObjectNode();
        for (QidoAttribute a : QidoAttribute.at(level)) {
            JsonNode e = r.dataset().get(a.tag);
            if (e != null) out.set(a.tag, e);
        }
        return out;
    }
}
