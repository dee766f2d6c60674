package dev.ich.core.clean;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The notebooks' windows table (docs/reference-experiment.md, cleaning step 8): the one source of truth for window names. */
public final class Windows {
    public static final Window BRAIN = new Window("brain", 80, 40);
    public static final Window SUBDURAL = new Window("subdural", 254, 100);
    public static final Window STROKE = new Window("stroke", 8, 32);
    public static final Window BRAIN_BONE = new Window("brain_bone", 2800, 600);
    public static final Window BRAIN_SOFT = new Window("brain_soft", 375, 40);
    public static final Window LUNGS = new Window("lungs", 1500, -600);
    public static final Window MEDIASTINUM = new Window("mediastinum", 350, 50);
    public static final Window ABDOMEN_SOFT = new Window("abdomen_soft", 400, 50);
    public static final Window LIVER = new Window("liver", 150, 30);
    public static final Window SPINE_SOFT = new Window("spine_soft", 250, 50);
    public static final Window SPINE_BONE = new Window("spine_bone", 1800, 400);

    public static final List<Window> ALL = List.of(BRAIN, SUBDURAL, STROKE, BRAIN_BONE, BRAIN_SOFT, LUNGS,
            MEDIASTINUM, ABDOMEN_SOFT, LIVER, SPINE_SOFT, SPINE_BONE);

    private static final Map<String, Window> BY_NAME = new LinkedHashMap<>();
    static {
        ALL.forEach(w -> BY_NAME.put(w.name(), w));
        BY_NAME.put("bone", BRAIN_BONE); // the name people type in a URL
    }

    private Windows() {
    }

    public static Optional<Window> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name == null ? null : name.toLowerCase(java.util.Locale.ROOT)));
    }

    public static Window require(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown window '" + name + "'; known windows: " + String.join(", ", BY_NAME.keySet())));
    }
}
