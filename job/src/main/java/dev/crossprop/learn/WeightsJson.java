package dev.crossprop.learn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes {@link Weights} as one JSON object: {@code {"U": [[n values] x m rows], "b": [n
 * values], "W": [[k values] x n rows], "c": [k values]}}. Values are written with Java's shortest
 * round-trip decimal form, so reading a written file gives the same bits.
 */
public final class WeightsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WeightsJson() {}

    /**
     * Reads weights from a JSON file.
     *
     * @throws IOException if the file cannot be read, is not JSON, misses a field, holds a value
     *     that is not a finite number, or has shapes that disagree; the message names the file and
     *     the field
     */
    public static Weights read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IOException(
                    "Weights file " + file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(
                    "Weights file " + file + " must hold one JSON object with fields U, b, W, c");
        }
        double[][] u = matrix(file, root, "U");
        double[] b = vector(file, field(file, root, "b"), "b");
        double[][] w = matrix(file, root, "W");
        double[] c = vector(file, field(file, root, "c"), "c");
        try {
            return new Weights(u, b, w, c);
        } catch (IllegalArgumentException e) {
            throw new IOException("Weights file " + file + " has invalid shapes: " + e.getMessage(), e);
        }
    }

    /** Writes the weights to a JSON file, replacing it if it exists. */
    public static void write(Weights weights, Path file) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode u = root.putArray("U");
        for (double[] row : weights.u) {
            addAll(u.addArray(), row);
        }
        addAll(root.putArray("b"), weights.b);
        ArrayNode w = root.putArray("W");
        for (double[] row : weights.w) {
            addAll(w.addArray(), row);
        }
        addAll(root.putArray("c"), weights.c);
        MAPPER.writeValue(file.toFile(), root);
    }

    private static void addAll(ArrayNode array, double[] values) {
        for (double v : values) {
            array.add(v);
        }
    }

    private static JsonNode field(Path file, JsonNode root, String name) throws IOException {
        JsonNode node = root.get(name);
        if (node == null) {
            throw new IOException("Weights file " + file + " has no field \"" + name + "\"");
        }
        return node;
    }

    private static double[][] matrix(Path file, JsonNode root, String name) throws IOException {
        JsonNode node = field(file, root, name);
        if (!node.isArray()) {
            throw new IOException(
                    "Weights file " + file + ": field \"" + name + "\" must be an array of rows");
        }
        double[][] rows = new double[node.size()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = vector(file, node.get(r), name + "[" + r + "]");
        }
        return rows;
    }

    private static double[] vector(Path file, JsonNode node, String name) throws IOException {
        if (!node.isArray()) {
            throw new IOException(
                    "Weights file " + file + ": field \"" + name + "\" must be an array of numbers");
        }
        double[] values = new double[node.size()];
        for (int j = 0; j < values.length; j++) {
            JsonNode value = node.get(j);
            if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
                throw new IOException(
                        "Weights file " + file + ": " + name + "[" + j + "] = " + value
                                + " is not a finite number");
            }
            values[j] = value.asDouble();
        }
        return values;
    }
}
