package dev.crossprop.sources;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the repository from tests, which Maven runs with the module as working dir. */
public final class RepositoryFiles {

    private RepositoryFiles() {}

    /**
     * Returns the repository root: the nearest ancestor of the working dir with sources/pom.xml.
     */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("sources").resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "No ancestor of " + Path.of("").toAbsolutePath() + " contains sources/pom.xml");
    }

    /** Returns a path below the repository root. */
    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
