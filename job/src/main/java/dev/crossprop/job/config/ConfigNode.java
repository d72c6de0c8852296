package dev.crossprop.job.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A mapping read from a YAML file, with typed accessors whose errors name the file and the
 * field path. Every accessor removes nothing; {@link #rejectUnknown} reports fields that no
 * accessor was meant to read, so a misspelt field fails instead of being ignored.
 */
final class ConfigNode {

    private final String file;
    private final String path;
    private final Map<String, Object> values;

    ConfigNode(String file, String path, Map<String, Object> values) {
        this.file = file;
        this.path = path;
        this.values = values;
    }

    static ConfigNode root(String file, Object document) {
        if (!(document instanceof Map)) {
            throw new InvalidConfigException(
                    file + ": expected a YAML mapping at the top level (name, task, learners, ...), found "
                            + describe(document));
        }
        return new ConfigNode(file, "", asStringMap(file, "", document));
    }

    String file() {
        return file;
    }

    boolean has(String field) {
        return values.containsKey(field) && values.get(field) != null;
    }

    Object raw(String field) {
        return values.get(field);
    }

    Map<String, Object> asMap() {
        return values;
    }

    String fieldPath(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    InvalidConfigException error(String field, String problem) {
        return new InvalidConfigException(file + ": field " + fieldPath(field) + ": " + problem);
    }

    void rejectUnknown(Set<String> known) {
        for (String field : values.keySet()) {
            if (!known.contains(field)) {
                throw error(field, "unknown field; allowed fields here: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    ConfigNode child(String field) {
        Object value = values.get(field);
        if (value == null) {
            return new ConfigNode(file, fieldPath(field), new LinkedHashMap<>());
        }
        if (!(value instanceof Map)) {
            throw error(field, "expected a mapping, found " + describe(value));
        }
        return new ConfigNode(file, fieldPath(field), asStringMap(file, fieldPath(field), value));
    }

    List<ConfigNode> children(String field) {
        Object value = values.get(field);
        if (!(value instanceof List)) {
            throw error(field, "expected a list of mappings, found " + describe(value));
        }
        List<ConfigNode> nodes = new ArrayList<>();
        List<?> items = (List<?>) value;
        for (int i = 0; i < items.size(); i++) {
            String itemPath = fieldPath(field) + "[" + i + "]";
            if (!(items.get(i) instanceof Map)) {
                throw new InvalidConfigException(
                        file + ": field " + itemPath + ": expected a mapping, found " + describe(items.get(i)));
            }
            nodes.add(new ConfigNode(file, itemPath, asStringMap(file, itemPath, items.get(i))));
        }
        return nodes;
    }

    String requireString(String field) {
        if (!has(field)) {
            throw error(field, "missing required field");
        }
        return string(field, null);
    }

    String string(String field, String defaultValue) {
        Object value = values.get(field);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Map || value instanceof List) {
            throw error(field, "expected a single value, found " + describe(value));
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            throw error(field, "must not be empty");
        }
        return text;
    }

    int intValue(String field, int defaultValue, int min, int max) {
        Object value = values.get(field);
        if (value == null) {
            return defaultValue;
        }
        long parsed = toLong(field, value);
        if (parsed < min || parsed > max) {
            throw error(field, "value " + parsed + " is out of range; allowed: " + min + " to " + max);
        }
        return (int) parsed;
    }

    long longValue(String field, long defaultValue) {
        Object value = values.get(field);
        return value == null ? defaultValue : toLong(field, value);
    }

    double doubleValue(String field, double defaultValue, double min, double max) {
        Object value = values.get(field);
        return value == null ? defaultValue : checkDouble(field, value, min, max);
    }

    /**
     * Reads a number or a list of numbers (a sweep). A single value gives a list of one.
     */
    List<Double> doubleValues(String field, double min, double max) {
        Object value = values.get(field);
        List<Double> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (value instanceof List) {
            List<?> items = (List<?>) value;
            if (items.isEmpty()) {
                throw error(field, "empty list; give one value or a list of values to sweep");
            }
            for (Object item : items) {
                result.add(checkDouble(field, item, min, max));
            }
        } else {
            result.add(checkDouble(field, value, min, max));
        }
        return result;
    }

    /** Reads a list of strings given as a YAML list or as one comma-separated string. */
    List<String> stringList(String field) {
        Object value = values.get(field);
        List<String> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        List<?> items = value instanceof List ? (List<?>) value : List.of(value.toString().split(","));
        for (Object item : items) {
            String text = item == null ? "" : item.toString().trim();
            if (text.isEmpty()) {
                throw error(field, "contains an empty entry: " + describe(value));
            }
            result.add(text);
        }
        return result;
    }

    /** Reads a duration as milliseconds (a number) or as text such as {@code 10s}, {@code 500ms}, {@code 2min}. */
    Duration duration(String field, Duration defaultValue) {
        Object value = values.get(field);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number) {
            return Duration.ofMillis(((Number) value).longValue());
        }
        String text = value.toString().trim().toLowerCase();
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
            }
            if (text.endsWith("min")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 3).trim()));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1).trim()));
            }
            return Duration.ofMillis(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw error(field, "invalid duration '" + value + "'; use milliseconds or a value such as 500ms, 10s, 2min");
        }
    }

    <E> E choice(String field, String defaultValue, List<String> allowed, java.util.function.Function<String, E> parse) {
        String text = string(field, defaultValue);
        if (!allowed.contains(text)) {
            throw error(field, "invalid value '" + text + "'; allowed: " + String.join(", ", allowed));
        }
        return parse.apply(text);
    }

    private long toLong(String field, Object value) {
        if (value instanceof Integer || value instanceof Long) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value.toString().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(field, "expected a whole number, found " + describe(value));
        }
    }

    private double checkDouble(String field, Object value, double min, double max) {
        double parsed;
        if (value instanceof Number) {
            parsed = ((Number) value).doubleValue();
        } else {
            try {
                parsed = Double.parseDouble(value.toString().trim());
            } catch (NumberFormatException e) {
                throw error(field, "expected a number, found " + describe(value));
            }
        }
        if (!Double.isFinite(parsed)) {
            throw error(field, "value " + value + " is not a finite number; write a decimal number such as 0.0005");
        }
        if (parsed < min || parsed > max) {
            throw error(field, "value " + value + " is out of range; allowed: " + min + " to " + max);
        }
        return parsed;
    }

    private static Map<String, Object> asStringMap(String file, String path, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            if (!(entry.getKey() instanceof String)) {
                throw new InvalidConfigException(
                        file + ": field " + (path.isEmpty() ? "" : path + ".") + entry.getKey()
                                + ": field names must be text");
            }
            map.put((String) entry.getKey(), entry.getValue());
        }
        return map;
    }

    static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map) {
            return "a mapping";
        }
        if (value instanceof List) {
            return "a list " + value;
        }
        return "'" + value + "'";
    }
}
