package dev.crossprop.sinks.records;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.util.List;

/**
 * The CSV encoding of {@link ErrorRecord} and {@link NormRecord}, as written by the job's file sinks
 * and read by the report command.
 *
 * <p>Each file starts with a header row ({@link #ERROR_HEADER} or {@link #NORM_HEADER}) and contains one
 * record per line. Strings are quoted as RFC 4180 describes when they contain a comma, a double quote
 * or leading or trailing spaces; quotes inside are doubled. Doubles are written with {@link
 * Double#toString(double)}, which parses back to the same value, and a non-finite double (NaN,
 * infinity) is written as an empty field, so the reader gets NaN back. Booleans are {@code true} or
 * {@code false}.
 *
 * <p>The parsers are strict: a wrong column count, a malformed number or an unknown boolean raises an
 * {@link IllegalArgumentException} that names the column and the value. They accept any line that
 * {@code toCsv} writes.
 */
public final class RecordCsv {

    /** Header row of error files. */
    public static final String ERROR_HEADER =
            "experiment,run,learner,task,index,step,error,accuracy,examples,diverged";

    /** Header row of weight-norm files. The two {@code _sq} columns are the squared norms. */
    public static final String NORM_HEADER =
            "experiment,run,learner,task,index,step,u_change,w_change,u_change_sq,w_change_sq,"
                    + "examples,diverged";

    private static final List<String> ERROR_COLUMNS = List.of(ERROR_HEADER.split(","));
    private static final List<String> NORM_COLUMNS = List.of(NORM_HEADER.split(","));

    private RecordCsv() {}

    /** Encodes an error record as one CSV line, without a line terminator. */
    public static String toCsv(ErrorRecord record) {
        StringBuilder line = new StringBuilder(128);
        appendKey(line, record.experiment(), record.run(), record.learner(), record.task());
        line.append(record.index()).append(',');
        line.append(record.step()).append(',');
        appendDouble(line, record.error()).append(',');
        appendDouble(line, record.accuracy()).append(',');
        line.append(record.examples()).append(',');
        line.append(record.diverged());
        return line.toString();
    }

    /** Encodes a weight-norm record as one CSV line, without a line terminator. */
    public static String toCsv(NormRecord record) {
        StringBuilder line = new StringBuilder(160);
        appendKey(line, record.experiment(), record.run(), record.learner(), record.task());
        line.append(record.index()).append(',');
        line.append(record.step()).append(',');
        appendDouble(line, record.uChange()).append(',');
        appendDouble(line, record.wChange()).append(',');
        appendDouble(line, record.uChangeSquared()).append(',');
        appendDouble(line, record.wChangeSquared()).append(',');
        line.append(record.examples()).append(',');
        line.append(record.diverged());
        return line.toString();
    }

    /**
     * Decodes one line of an error file (not the header).
     *
     * @throws IllegalArgumentException if the line has the wrong column count, a column does not
     *     parse, or the values break a rule of {@link ErrorRecord}
     */
    public static ErrorRecord parseError(String line) {
        String[] fields = split(line, ERROR_COLUMNS);
        return new ErrorRecord(
                fields[0],
                fields[1],
                fields[2],
                fields[3],
                parseLong(fields[4], "index"),
                parseLong(fields[5], "step"),
                parseDouble(fields[6], "error"),
                parseDouble(fields[7], "accuracy"),
                parseInt(fields[8], "examples"),
                parseBoolean(fields[9], "diverged"));
    }

    /**
     * Decodes one line of a weight-norm file (not the header). The squared-norm columns must be
     * numbers or empty but are not read back, because the record derives them.
     *
     * @throws IllegalArgumentException if the line has the wrong column count, a column does not
     *     parse, or the values break a rule of {@link NormRecord}
     */
    public static NormRecord parseNorm(String line) {
        String[] fields = split(line, NORM_COLUMNS);
        parseDouble(fields[8], "u_change_sq");
        parseDouble(fields[9], "w_change_sq");
        return new NormRecord(
                fields[0],
                fields[1],
                fields[2],
                fields[3],
                parseLong(fields[4], "index"),
                parseLong(fields[5], "step"),
                parseDouble(fields[6], "u_change"),
                parseDouble(fields[7], "w_change"),
                parseInt(fields[10], "examples"),
                parseBoolean(fields[11], "diverged"));
    }

    private static void appendKey(
            StringBuilder line, String experiment, String run, String learner, String task) {
        appendString(line, experiment).append(',');
        appendString(line, run).append(',');
        appendString(line, learner).append(',');
        appendString(line, task).append(',');
    }

    private static StringBuilder appendString(StringBuilder line, String value) {
        if (!needsQuotes(value)) {
            return line.append(value);
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        return line.append('"');
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return false;
        }
        // Quoting leading or trailing spaces keeps them visible to tools that trim unquoted fields.
        if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
            return true;
        }
        return value.indexOf(',') >= 0 || value.indexOf('"') >= 0;
    }

    private static StringBuilder appendDouble(StringBuilder line, double value) {
        // The shortest decimal that parses back to the value. Jackson's writer is several times
        // faster than StringBuilder.append(double) on Java 17, and that matters at two lines per step.
        return Double.isFinite(value) ? line.append(NumberOutput.toString(value, true)) : line;
    }

    /** Splits a line into exactly {@code columns.size()} fields, undoing RFC 4180 quoting. */
    private static String[] split(String line, List<String> columns) {
        if (line == null) {
            throw new IllegalArgumentException("line is null; pass one CSV line");
        }
        String[] fields = new String[columns.size()];
        int count = 0;
        int pos = 0;
        while (true) {
            if (count == fields.length) {
                throw columnCountError(line, columns, countFields(line));
            }
            String column = columns.get(count);
            int end;
            if (pos < line.length() && line.charAt(pos) == '"') {
                StringBuilder value = new StringBuilder();
                end = readQuoted(line, pos, value, column);
                fields[count++] = value.toString();
            } else {
                end = line.indexOf(',', pos);
                if (end < 0) {
                    end = line.length();
                }
                String value = line.substring(pos, end);
                if (value.indexOf('"') >= 0) {
                    throw new IllegalArgumentException(
                            "column '" + column + "' has a double quote inside the unquoted value '"
                                    + value + "'; quote the whole field and double inner quotes");
                }
                fields[count++] = value;
            }
            if (end == line.length()) {
                break;
            }
            pos = end + 1;
        }
        if (count != fields.length) {
            throw columnCountError(line, columns, count);
        }
        return fields;
    }

    /**
     * Reads a quoted field that starts at {@code start} into {@code value} and returns the index of
     * the comma that follows it, or the line length.
     */
    private static int readQuoted(String line, int start, StringBuilder value, String column) {
        int pos = start + 1;
        while (pos < line.length()) {
            char c = line.charAt(pos);
            if (c != '"') {
                value.append(c);
                pos++;
            } else if (pos + 1 < line.length() && line.charAt(pos + 1) == '"') {
                value.append('"');
                pos += 2;
            } else {
                int next = pos + 1;
                if (next < line.length() && line.charAt(next) != ',') {
                    throw new IllegalArgumentException(
                            "column '" + column + "' has text after its closing quote: '"
                                    + line.substring(start) + "'");
                }
                return next;
            }
        }
        throw new IllegalArgumentException(
                "column '" + column + "' has an opening quote without a closing one: '"
                        + line.substring(start) + "'");
    }

    /** Counts fields the lenient way (quotes respected, no errors), only for error messages. */
    private static int countFields(String line) {
        int count = 1;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                count++;
            }
        }
        return count;
    }

    private static IllegalArgumentException columnCountError(
            String line, List<String> columns, int found) {
        return new IllegalArgumentException(
                "expected " + columns.size() + " columns (" + String.join(",", columns)
                        + ") but found " + found + " in '" + abbreviate(line) + "'");
    }

    private static long parseLong(String text, String column) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "column '" + column + "' has the value '" + abbreviate(text)
                            + "', which is not an integer", e);
        }
    }

    private static int parseInt(String text, String column) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "column '" + column + "' has the value '" + abbreviate(text)
                            + "', which is not an integer in [1, " + Integer.MAX_VALUE + "]",
                    e);
        }
    }

    /**
     * Parses a decimal number, or NaN from an empty field. Only digits, signs, a point and an
     * exponent are accepted, so forms that only Java reads ("NaN", "Infinity", "1d", hex) are
     * rejected.
     */
    private static double parseDouble(String text, String column) {
        if (text.isEmpty()) {
            return Double.NaN;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed =
                    (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e'
                            || c == 'E';
            if (!allowed) {
                throw invalidNumber(text, column, null);
            }
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw invalidNumber(text, column, e);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(
                    "column '" + column + "' has the value '" + text
                            + "', which overflows a double; write non-finite values as an empty"
                            + " field");
        }
        return value;
    }

    private static IllegalArgumentException invalidNumber(
            String text, String column, NumberFormatException cause) {
        return new IllegalArgumentException(
                "column '" + column + "' has the value '" + abbreviate(text)
                        + "', which is not a decimal number; write a number such as 0.25 or"
                        + " 1.0E-4, or leave the field empty for a non-finite value",
                cause);
    }

    private static boolean parseBoolean(String text, String column) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "column '" + column + "' has the value '" + abbreviate(text)
                            + "'; expected true or false");
        };
    }

    /** Shortens long values in messages, so that one bad line cannot flood a terminal. */
    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
