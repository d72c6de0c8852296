package dev.crossprop.job.faults;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects the messages that one class logs at INFO or above while it is open, whatever level the
 * test logging configuration sets, and puts the logger back as it was on {@link #close()}.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private static final Pattern RESTORE_MESSAGE = Pattern.compile(
            "Subtask \\d+ of \\d+ restored (\\d+) of the job's (\\d+) experiments from checkpoint (\\d+)");

    private final Logger logger;
    private final Level previousLevel;
    private final boolean previousAdditive;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        super("capture-" + logger.getName(), null, null, true, Property.EMPTY_ARRAY);
        this.logger = logger;
        this.previousLevel = logger.getLevel();
        this.previousAdditive = logger.isAdditive();
    }

    static LogCapture of(Class<?> source) {
        LogCapture capture = new LogCapture((Logger) LogManager.getLogger(source));
        capture.start();
        capture.logger.addAppender(capture);
        capture.logger.setLevel(Level.INFO);
        // Keep the captured INFO lines off the console, which the test configuration keeps quiet.
        capture.logger.setAdditive(false);
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        messages.add(event.getMessage().getFormattedMessage());
    }

    /**
     * Returns, per checkpoint id, the experiments that the learner subtasks reported restoring
     * from it, summed over subtasks, as read from the messages of
     * {@code LearnFunction.initializeState}.
     */
    Map<Long, Integer> restoredExperimentsByCheckpoint() {
        Map<Long, Integer> restored = new TreeMap<>();
        for (String message : messages) {
            Matcher matcher = RESTORE_MESSAGE.matcher(message);
            if (matcher.matches()) {
                restored.merge(Long.parseLong(matcher.group(3)), Integer.parseInt(matcher.group(1)), Integer::sum);
            }
        }
        return restored;
    }

    /** Returns the job-wide experiment counts that the restore messages reported. */
    Set<Integer> restoredExperimentTotals() {
        Set<Integer> totals = new TreeSet<>();
        for (String message : messages) {
            Matcher matcher = RESTORE_MESSAGE.matcher(message);
            if (matcher.matches()) {
                totals.add(Integer.parseInt(matcher.group(2)));
            }
        }
        return totals;
    }

    /** Returns the messages logged so far, in order. */
    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditive);
        logger.removeAppender(this);
        stop();
    }
}
