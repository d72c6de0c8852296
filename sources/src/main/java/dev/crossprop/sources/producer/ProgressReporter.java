package dev.crossprop.sources.producer;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints the progress of a long write, at most once per interval: examples written, the rate over
 * the whole write so far, and the time left when the total is known.
 */
final class ProgressReporter {

    private final PrintWriter out;
    private final long intervalNanos;
    private final long total;
    private final long startNanos;
    private long nextReportNanos;

    /**
     * @param out where to print, or null to print nothing
     * @param total the number of examples to write, or -1 if unknown
     */
    ProgressReporter(PrintWriter out, Duration interval, long total) {
        this.out = out;
        this.intervalNanos = interval.toNanos();
        this.total = total;
        this.startNanos = System.nanoTime();
        this.nextReportNanos = startNanos + intervalNanos;
    }

    /** Prints a line if the interval has passed since the last one. */
    void update(long written) {
        long now = System.nanoTime();
        if (out == null || now < nextReportNanos) {
            return;
        }
        nextReportNanos = now + intervalNanos;
        double rate = rate(written, now);
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "produced %,d", written));
        if (total >= 0) {
            line.append(String.format(Locale.ROOT, " of %,d", total));
        }
        line.append(String.format(Locale.ROOT, " examples, %,.0f/s", rate));
        if (total >= 0 && rate > 0) {
            line.append(String.format(Locale.ROOT, ", %s left", format((total - written) / rate)));
        }
        out.println(line);
        out.flush();
    }

    /**
     * Prints the final count, whether the write finished, was stopped or failed.
     *
     * @param outcome the line's first words, e.g. "Wrote" or "Stopped: wrote"
     */
    void finish(long written, String outcome, String destination) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        out.println(
                String.format(
                        Locale.ROOT,
                        "%s %,d examples to %s in %s (%,.0f/s)",
                        outcome,
                        written,
                        destination,
                        format((now - startNanos) / 1e9),
                        rate(written, now)));
        out.flush();
    }

    private double rate(long written, long now) {
        double seconds = (now - startNanos) / 1e9;
        return seconds > 0 ? written / seconds : 0;
    }

    private static String format(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long whole = Math.round(seconds);
        return String.format(Locale.ROOT, "%d min %02d s", whole / 60, whole % 60);
    }
}
