package dev.crossprop.job.config;

/** Where an experiment's examples come from. */
public enum TaskKind {
    /** Generated GEOFF regression tasks (generic online feature finding). */
    GEOFF("geoff"),
    /** MNIST digits with shifted labels or permuted pixels, read from IDX files. */
    MNIST("mnist"),
    /** Examples written to the topic by any producer; the job learns until it is cancelled. */
    LIVE("live");

    private final String id;

    TaskKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    static TaskKind fromId(String id) {
        for (TaskKind kind : values()) {
            if (kind.id.equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown task kind '" + id + "'; allowed: geoff, mnist, live");
    }
}
