package dev.ich.labeling.datasets;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.ObjectStore;
import dev.ich.core.storage.StoredObject;
import dev.ich.core.storage.VersionCounter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;

/** The version numbers of a dataset name: v1, v2, ... never given twice, even after a failed build or a removed version. */
@ApplicationScoped
public class DatasetVersions {
    @Inject
    ObjectStore store;

    /** The next version of {@code name}, above those in the bucket, those {@code building} here and the name's high-water mark. */
    String next(String name, Collection<String> building) {
        int max = 0;
        for (StoredObject o : store.list(ObjectKeys.DATASETS_PREFIX + name + "/")) {
            String rest = o.key().substring((ObjectKeys.DATASETS_PREFIX + name + "/").length());
            if (rest.startsWith("v") && rest.indexOf('/') > 1) {
                try {
                    max = Math.max(max, Integer.parseInt(rest.substring(1, rest.indexOf('/'))));
                } catch (NumberFormatException ignored) {
                    // not a version folder
                }
            }
        }
        for (String id : building) {
            if (id.startsWith(name + "@v")) max = Math.max(max, Integer.parseInt(id.substring(name.length() + 2)));
        }
        // Above every number the name ever had, not only those still in the bucket: a failed build deletes what it
        // wrote, and an operator may remove a version, while models and reports still name it.
        return "v" + VersionCounter.in(store, ObjectKeys.datasetHighWater(name)).claim(max);
    }

}
