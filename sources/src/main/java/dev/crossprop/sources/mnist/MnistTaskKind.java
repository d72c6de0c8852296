package dev.crossprop.sources.mnist;

import java.util.Locale;

/** The kind of change between the tasks of an MNIST run. */
public enum MnistTaskKind {
    /** Task k adds its shift s_k to every label, modulo 10; the images stay the same. */
    SHIFT,
    /** Task k reorders the pixels of every image by its own fixed permutation. */
    PERMUTE;

    /** Returns the lower-case name used on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Returns the kind with the given id, ignoring case.
     *
     * @throws IllegalArgumentException if the id names no kind
     */
    public static MnistTaskKind fromId(String id) {
        for (MnistTaskKind kind : values()) {
            if (kind.id().equalsIgnoreCase(id == null ? "" : id.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException(
                "Unknown MNIST task kind '" + id + "'; use shift or permute.");
    }
}
