package dev.crossprop.sources;

import java.util.Locale;

/**
 * The reason a record is not a valid example. The {@link #id()} is stable, and dead-letter records
 * and metrics carry it.
 */
public enum InvalidReason {
    /** The record has no bytes, or only whitespace. */
    EMPTY,
    /** The record is not well-formed JSON, or not a JSON object. */
    NOT_JSON,
    /** A required field is missing. */
    MISSING_FIELD,
    /** A field has the wrong type, e.g. a string where numbers belong, or invalid UTF-8. */
    WRONG_TYPE,
    /** A regression example also carries a label, or the other way round. */
    CONFLICTING_FIELDS,
    /** Bytes or JSON tokens follow the end of the example. */
    TRAILING_DATA,
    /** A binary record ends before its last field. */
    TRUNCATED,
    /** A binary record has an unknown format byte, version or kind. */
    UNKNOWN_FORMAT_VERSION,
    /** The record is larger than {@link ExampleCodec#MAX_RECORD_BYTES}. */
    TOO_LARGE,
    /** The number of inputs differs from the configured input count. */
    WRONG_INPUT_COUNT,
    /** The number of regression targets differs from the configured output count. */
    WRONG_TARGET_COUNT,
    /** An input is NaN or infinite. */
    NON_FINITE_INPUT,
    /** A regression target is NaN or infinite. */
    NON_FINITE_TARGET,
    /** A class label is outside [0, classes), or a regression example reached a classifier. */
    LABEL_OUT_OF_RANGE,
    /** The example index is negative. */
    NEGATIVE_INDEX,
    /** The example index was already seen for this run. */
    DUPLICATE_INDEX,
    /** The example index skips ahead or goes back within a run. */
    OUT_OF_ORDER_INDEX;

    private final String id;

    InvalidReason() {
        this.id = name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Returns the lower-case id with dashes, e.g. {@code wrong-input-count}. */
    public String id() {
        return id;
    }
}
