package dev.ich.inference.export;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.Events;
import dev.ich.core.event.ResultExported;
import dev.ich.core.phantom.PhantomGenerator;
import dev.ich.core.phantom.PhantomOptions;
import dev.ich.core.phantom.PhantomSet;
import dev.ich.core.phantom.SliceTruth;
import dev.ich.core.storage.StoredObject;
import dev.ich.testkit.Orthanc;
import dev.ich.testkit.TopicTap;
import dev.ich.testkit.quarkus.S3TestResource;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Result-like objects for the export tests: phantom CT slices (valid DICOM, each study its own UIDs) stored where
 * triage stores its result objects, {@code results/<study>/<series>/<sop>.dcm}; and what the tests read back.
 */
final class ExportFixture {
    private final List<List<SliceTruth>> studies;

    ExportFixture(long seed, int studies) {
        try {
            PhantomSet set = new PhantomGenerator(PhantomOptions.of(studies, seed).withSlicesPerStudy(4).withSize(128))
                    .generate(Files.createTempDirectory("ich-export-phantoms"));
            this.studies = set.slices().stream().collect(Collectors.groupingBy(SliceTruth::studyIndex)).entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A test profile's export settings: each destination's properties under
     * {@code ich.inference.export.destinations.NAME.}, and a queue polled and leased briefly, so a test waits seconds.
     */
    static Map<String, String> exportSettings(Map<String, Map<String, String>> destinations) {
        Map<String, String> settings = new LinkedHashMap<>();
        destinations.forEach((name, properties) -> properties.forEach((key, value) ->
                settings.put("ich.inference.export.destinations." + name + "." + key, value)));
        settings.put("ich.inference.export.poll-interval", "200ms");
        settings.put("ich.inference.export.lease-duration", "6s");
        return settings;
    }

    List<SliceTruth> study(int index) {
        return studies.get(index);
    }

    static String studyUid(List<SliceTruth> study) {
        return study.get(0).studyInstanceUid();
    }

    /** Puts the study's slices into the bucket as result objects; their keys, in order. */
    static List<String> storeAsResults(List<SliceTruth> study) {
        List<String> keys = new ArrayList<>();
        for (SliceTruth s : study) {
            String key = ObjectKeys.resultObject(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid());
            try {
                S3TestResource.store().put(key, Files.readAllBytes(s.file()), "application/dicom", Map.of());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            keys.add(key);
        }
        return keys;
    }

    /** The result object keys the study's slices are stored under. */
    static List<String> keys(List<SliceTruth> study) {
        return study.stream().map(s -> ObjectKeys.resultObject(s.studyInstanceUid(), s.seriesInstanceUid(), s.sopInstanceUid())).toList();
    }

    static Set<String> sops(List<SliceTruth> study) {
        return study.stream().map(SliceTruth::sopInstanceUid).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Keys of the destination's outbox records in the bucket. */
    static List<String> outbox(String destination) {
        // Records only, as the Outbox itself reads them: while a sender rewrites a record (its attempt count), S3Proxy's
        // filesystem backend lists its temporary file beside it ("<key>-<uuid>").
        return StreamSupport.stream(S3TestResource.store().list(ObjectKeys.exportOutbox(destination)).spliterator(), false)
                .map(StoredObject::key).filter(k -> k.endsWith(".json")).toList();
    }

    /** SOP Instance UIDs Orthanc holds (its REST API, not our view of it). */
    static Set<String> orthancSops(Orthanc orthanc) {
        try {
            JsonNode instances = Events.JSON.readTree(orthanc.get("/instances?expand"));
            Set<String> sops = new TreeSet<>();
            for (JsonNode i : instances) sops.add(i.path("MainDicomTags").path("SOPInstanceUID").asText());
            return sops;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int orthancInstanceCount(Orthanc orthanc) {
        try {
            return Events.JSON.readTree(orthanc.get("/instances")).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tap's records for one destination, payloads read. */
    static List<ConsumerRecord<String, String>> recordsFor(TopicTap tap, String destination) {
        return tap.records().stream().filter(r -> destination.equals(event(r).destination())).toList();
    }

    static ResultExported event(ConsumerRecord<String, String> r) {
        try {
            return Events.JSON.readValue(r.value(), ResultExported.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
