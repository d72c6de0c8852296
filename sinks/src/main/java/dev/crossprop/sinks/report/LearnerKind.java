package dev.crossprop.sinks.report;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The learner kinds of the manifest's {@code learners[].kind} field, grouped into the two families
 * that the figures colour apart: crossprop learners in warm colours, backprop learners (plain SGD
 * and its optimizers) in cool colours.
 */
public enum LearnerKind {
    CROSSPROP("crossprop", Family.CROSSPROP),
    CROSSPROP_APPROX("crossprop-approx", Family.CROSSPROP),
    BACKPROP("backprop", Family.BACKPROP),
    MOMENTUM("momentum", Family.BACKPROP),
    RMSPROP("rmsprop", Family.BACKPROP),
    ADAM("adam", Family.BACKPROP),
    UNKNOWN("unknown", Family.OTHER);

    /** Colour family of a learner kind. */
    public enum Family {
        CROSSPROP,
        BACKPROP,
        OTHER
    }

    private final String id;
    private final Family family;

    LearnerKind(String id, Family family) {
        this.id = id;
        this.family = family;
    }

    /** Returns the manifest spelling, for example {@code crossprop-approx}. */
    public String id() {
        return id;
    }

    public Family family() {
        return family;
    }

    /** Returns the kind with this manifest spelling (case-insensitive), if there is one. */
    public static Optional<LearnerKind> fromId(String id) {
        return Stream.of(values())
                .filter(kind -> kind != UNKNOWN && kind.id.equalsIgnoreCase(id))
                .findFirst();
    }

    /**
     * Infers the kind from a learner label when the manifest is missing: the longest kind id that
     * starts the label and is followed by the end of the label or a separator. Case and the
     * separators '-' and '_' do not matter. For example {@code crossprop-approx-eta0.5} is {@link
     * #CROSSPROP_APPROX} and {@code adam-lr1e-3} is {@link #ADAM}. A label that starts with no kind
     * id is {@link #UNKNOWN}.
     */
    public static LearnerKind fromLabel(String label) {
        String lower = label.toLowerCase(Locale.ROOT).replace('_', '-');
        return Stream.of(values())
                .filter(kind -> kind != UNKNOWN && startsWithId(lower, kind.id))
                .max(Comparator.comparingInt(kind -> kind.id.length()))
                .orElse(UNKNOWN);
    }

    private static boolean startsWithId(String label, String id) {
        if (!label.startsWith(id)) {
            return false;
        }
        if (label.length() == id.length()) {
            return true;
        }
        return label.charAt(id.length()) == '-';
    }
}
