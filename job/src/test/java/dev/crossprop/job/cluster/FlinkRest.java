package dev.crossprop.job.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Client of the parts of Flink's REST API (the one the web UI uses) that the cluster test reads:
 * job state and duration, checkpoint counts, restarts and where subtasks run.
 */
final class FlinkRest {

    /** Job states after which a job does not run again. */
    static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "FAILED", "CANCELED");

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(300);

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Sends {@code GET path} and returns the response, whatever its status. */
    HttpResponse<String> getRaw(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(REQUEST_TIMEOUT).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code GET path} and parses the JSON body; fails on a status other than 200. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = getRaw(path);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + baseUrl + path + " returned " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /** Returns the job's details: {@code state}, {@code duration} in milliseconds, {@code vertices}. */
    JsonNode job(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId);
    }

    String state(String jobId) throws IOException, InterruptedException {
        return job(jobId).path("state").asText();
    }

    /** Returns the checkpoint counts: {@code completed}, {@code failed}, {@code restored} ... */
    JsonNode checkpointCounts(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints").path("counts");
    }

    /** Returns how often the job restarted after a failure, from its {@code numRestarts} metric. */
    long restarts(String jobId) throws IOException, InterruptedException {
        for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            if (metric.path("id").asText().equals("numRestarts")) {
                return Long.parseLong(metric.path("value").asText());
            }
        }
        throw new IllegalStateException("job " + jobId + " reports no numRestarts metric");
    }

    /** Returns the root exception of a job's failures, or an empty string. */
    String rootException(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/exceptions").path("root-exception").asText("");
    }

    /**
     * Returns the TaskManager ids (the {@code taskmanager.resource-id} that the script sets, such
     * as {@code local-taskmanager-2}) that run subtasks of the job's first vertex whose name
     * starts with {@code vertexNamePrefix}.
     */
    List<String> taskManagersOf(String jobId, String vertexNamePrefix) throws IOException, InterruptedException {
        for (JsonNode vertex : job(jobId).path("vertices")) {
            if (vertex.path("name").asText().startsWith(vertexNamePrefix)) {
                List<String> ids = new ArrayList<>();
                for (JsonNode taskManager : get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers")
                        .path("taskmanagers")) {
                    ids.add(taskManager.path("taskmanager-id").asText());
                }
                return ids;
            }
        }
        throw new IllegalStateException("job " + jobId + " has no vertex named " + vertexNamePrefix + "...");
    }

    /** Waits until the job reaches a terminal state and returns that state. */
    String awaitTerminalState(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = state(jobId);
        while (!TERMINAL_STATES.contains(state)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " is still " + state + " after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
            state = state(jobId);
        }
        return state;
    }

    /**
     * Waits until the job runs, with all its tasks, and has completed at least one checkpoint, so
     * that a failure from then on restores state instead of starting over.
     *
     * @return the job state when the wait ended: RUNNING, or a terminal state if the job ended first
     */
    String awaitRunningWithCheckpoint(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String state = state(jobId);
            if (TERMINAL_STATES.contains(state)) {
                return state;
            }
            if (state.equals("RUNNING") && checkpointCounts(jobId).path("completed").asLong() >= 1) {
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + jobId + " completed no checkpoint within " + timeout.toSeconds()
                        + " s; it is " + state);
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
    }
}
