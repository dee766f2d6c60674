package dev.ich.core.event;

import com.fasterxml.jackson.annotation.JsonValue;

/** How an instance reached ich. */
public enum IngestSource {
    STOW("stow"), UPLOAD("upload"), IMPORT("import"), C_STORE("c-store");

    private final String wire;

    IngestSource(String wire) {
        this.wire = wire;
    }

    /** The name in events and metrics. */
    @JsonValue
    public String wire() {
        return wire;
    }
}
