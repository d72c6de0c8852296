package dev.crossprop.job.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

class LocalCommandTest {

    @Test
    void deleteRecursivelyRemovesNestedFolders(@TempDir Path dir) throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        Files.createDirectories(checkpoints.resolve("job/chk-1"));
        Files.writeString(checkpoints.resolve("job/chk-1/_metadata"), "state");
        Files.createDirectories(checkpoints.resolve("job/shared"));

        LocalCommand.deleteRecursively(checkpoints);

        assertThat(checkpoints).doesNotExist();
        assertThat(dir).exists();
    }

    @Test
    void deleteRecursivelyAcceptsMissingFolder(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("never-created");

        LocalCommand.deleteRecursively(missing);

        assertThat(missing).doesNotExist();
    }
}
