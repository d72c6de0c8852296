package dev.crossprop.sinks.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Streams the records of CSV result files line by line, so that memory does not grow with the
 * number of rows.
 *
 * <p>Each file must start with the expected header row. Empty lines are skipped. Any other line
 * that does not parse, or that the sink rejects with an IllegalArgumentException, stops the scan with an {@link InvalidResultsException} naming the file and
 * the line number (from 1, the header being line 1).
 */
final class ResultsScanner {

    private static final int BUFFER_CHARS = 1 << 16;

    private ResultsScanner() {}

    /**
     * Parses every line of every file in order and passes each record to {@code sink}.
     *
     * @param header the header row that every file must start with
     * @param parser line parser that raises IllegalArgumentException on a bad line
     * @return the number of records read
     */
    static <T> long scan(
            List<Path> files, String header, Function<String, T> parser, Consumer<T> sink) {
        long records = 0;
        for (Path file : files) {
            records += scanFile(file, header, parser, sink);
        }
        return records;
    }

    private static <T> long scanFile(
            Path file, String header, Function<String, T> parser, Consumer<T> sink) {
        long records = 0;
        long lineNumber = 0;
        // A strict decoder turns bad bytes into an error with the file name, not into U+FFFD.
        var decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(Files.newInputStream(file), decoder), BUFFER_CHARS)) {
            String line = reader.readLine();
            lineNumber = 1;
            checkHeader(file, header, line);
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isEmpty()) {
                    continue;
                }
                // The sink may reject a record too (an index no stage covers), so both are inside.
                try {
                    sink.accept(parser.apply(line));
                } catch (IllegalArgumentException e) {
                    throw new InvalidResultsException(
                            file + " line " + lineNumber + ": " + e.getMessage(), e);
                }
                records++;
            }
        } catch (CharacterCodingException e) {
            throw new InvalidResultsException(
                    file + " line " + (lineNumber + 1) + ": invalid UTF-8; the job writes UTF-8", e);
        } catch (IOException e) {
            throw new InvalidResultsException(file + ": reading failed: " + e.getMessage(), e);
        }
        return records;
    }

    private static void checkHeader(Path file, String header, String line) {
        if (line == null) {
            throw new InvalidResultsException(
                    file + " line 1: the file is empty; expected the header row '" + header
                            + "'. Delete the file if the job left it behind unfinished");
        }
        // A byte order mark from a spreadsheet export is harmless, so it is dropped.
        String found = line.startsWith("\uFEFF") ? line.substring(1) : line;
        if (!found.equals(header)) {
            String excerpt = found.length() > 200 ? found.substring(0, 200) + "..." : found;
            throw new InvalidResultsException(
                    file + " line 1: wrong header row '" + excerpt + "'; expected '" + header
                            + "'. Check that the file is in the right folder (errors/ or norms/)");
        }
    }
}
