package dev.ich.runtime;

import dev.ich.core.contract.ObjectKeys;
import dev.ich.core.storage.StorageSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the one bucket is (ICH_STORAGE_ENDPOINT, ICH_STORAGE_ACCESS_KEY, ... in the environment): the same keys in every service. */
@ConfigMapping(prefix = "ich.storage")
public interface StorageConfig {
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault(ObjectKeys.DEFAULT_BUCKET)
    String bucket();

    default StorageSettings settings() {
        return new StorageSettings(endpoint(), accessKey(), secretKey(), bucket());
    }
}
