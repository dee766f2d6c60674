package dev.ich.training.jobs;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.event.Events;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Jobs in the bucket: {@code jobs/<id>/state.json} is the whole {@link Job} (spec, state, runs, metrics so far),
 * written on every transition and every epoch. The bucket is the truth; the service's memory is rebuilt from it
 * on start ({@link #loadAll()}).
 */
@ApplicationScoped
public class JobStore {
    private static final Logger LOG = Logger.getLogger(JobStore.class);
    static final String STATE = "state.json";
    /** Newer services may add fields: an older one reading them must not fail. */
    private static final ObjectMapper READ = Events.JSON.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Inject
    ObjectStore store;

    public static String stateKey(String jobId) {
        return ObjectKeys.job(jobId) + STATE;
    }

    void save(Job job) {
        byte[] json;
        try {
            json = Events.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(job.toJson());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of job " + job.id() + ": " + e.getMessage(), e);
        }
        store.put(stateKey(job.id()), json, "application/json", Map.of());
    }

    /** Every job with a state.json (sweep runs have none: they live in their sweep's). */
    List<Job> loadAll() {
        List<Job> jobs = new ArrayList<>();
        for (StoredObject o : store.list("jobs/")) {
            String rest = o.key().substring("jobs/".length());
            if (!rest.endsWith("/" + STATE) || rest.indexOf('/') != rest.length() - STATE.length() - 1) continue;
            try {
                jobs.add(READ.readValue(store.get(o.key()), Job.class));
            } catch (IOException | RuntimeException e) {
                LOG.errorf("skipping %s: not a job state (%s)", o.key(), e.getMessage());
            }
        }
        return jobs;
    }

    boolean exists(String jobId) {
        return store.stat(stateKey(jobId)).isPresent();
    }
}
