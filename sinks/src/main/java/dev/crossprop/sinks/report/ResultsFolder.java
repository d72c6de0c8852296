package dev.crossprop.sinks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of one results folder as the job writes them: {@code manifest.json} (optional), and CSV
 * files at any depth below {@code errors/} and {@code norms/}.
 *
 * <p>Flink's file sink writes part files into bucket subfolders and keeps in-progress parts as
 * hidden files whose names start with '.'; those, and everything below a hidden folder, are
 * skipped. Files are listed in path order, so that the report reads them in the same order on
 * every machine.
 *
 * @param root the results folder
 * @param manifest the manifest file, or null when there is none
 * @param errorFiles error CSV files, at least one
 * @param normFiles weight-norm CSV files, at least one
 */
public record ResultsFolder(Path root, Path manifest, List<Path> errorFiles, List<Path> normFiles) {

    static final String MANIFEST = "manifest.json";
    static final String ERRORS = "errors";
    static final String NORMS = "norms";

    /**
     * Lists the files of a results folder.
     *
     * @throws InvalidResultsException if the folder, its {@code errors} or {@code norms} folder is
     *     missing, or either contains no CSV file
     */
    public static ResultsFolder open(Path root) {
        if (!Files.isDirectory(root)) {
            throw new InvalidResultsException(
                    "results folder " + root + " is not found or not a directory; pass the folder"
                            + " that the job wrote (it contains errors/ and norms/)");
        }
        Path manifest = root.resolve(MANIFEST);
        return new ResultsFolder(
                root,
                Files.isRegularFile(manifest) ? manifest : null,
                csvFiles(root, ERRORS),
                csvFiles(root, NORMS));
    }

    /** Returns the manifest file, if the folder has one. */
    public Optional<Path> manifestFile() {
        return Optional.ofNullable(manifest);
    }

    private static List<Path> csvFiles(Path root, String name) {
        Path folder = root.resolve(name);
        if (!Files.isDirectory(folder)) {
            throw new InvalidResultsException(
                    "folder " + folder + " is missing; the job writes " + name
                            + "/ into every results folder, so check that " + root
                            + " is a complete results folder");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files =
                    walk.filter(Files::isRegularFile)
                            .filter(file -> file.getFileName().toString().endsWith(".csv"))
                            .filter(file -> !isHidden(folder.relativize(file)))
                            .sorted()
                            .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new InvalidResultsException("listing " + folder + " failed: " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new InvalidResultsException(
                    "folder " + folder + " contains no CSV files (*.csv, hidden files skipped);"
                            + " the job may still be running or may have failed before writing");
        }
        return files;
    }

    private static boolean isHidden(Path relative) {
        for (Path part : relative) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
