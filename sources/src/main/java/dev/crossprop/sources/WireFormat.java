package dev.crossprop.sources;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The encodings of an example in a Kafka record value; see {@code docs/wire-format.md}. */
public enum WireFormat {
    /** One JSON object in UTF-8, readable and easy to write from any language. */
    JSON("json"),
    /** A compact big-endian binary record that starts with {@link ExampleBinary#FORMAT_BYTE}. */
    BINARY("binary");

    private final String id;

    WireFormat(String id) {
        this.id = id;
    }

    /** Returns the lower-case name used on the command line and in configuration files. */
    public String id() {
        return id;
    }

    /**
     * Returns the format with the given id, ignoring case.
     *
     * @throws IllegalArgumentException if the id names no format
     */
    public static WireFormat fromId(String id) {
        for (WireFormat format : values()) {
            if (format.id.equals(id == null ? null : id.trim().toLowerCase(Locale.ROOT))) {
                return format;
            }
        }
        String allowed =
                Arrays.stream(values()).map(WireFormat::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException(
                "Unknown wire format '" + id + "'; use one of: " + allowed + ".");
    }
}
