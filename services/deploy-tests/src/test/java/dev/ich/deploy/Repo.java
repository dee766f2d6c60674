package dev.ich.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is: surefire passes ich.home; run from an IDE, the module folder's grandparent. */
final class Repo {
    static final Path HOME = home();

    private Repo() {
    }

    static Path chart() {
        return HOME.resolve("helm/ich");
    }

    static Path k8s() {
        return HOME.resolve("k8s");
    }

    private static Path home() {
        String configured = System.getProperty("ich.home");
        Path p = configured != null ? Path.of(configured) : Path.of("../..");
        p = p.toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("helm/ich"))) throw new IllegalStateException("no helm/ich under " + p);
        return p;
    }
}
