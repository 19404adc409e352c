package net.reactory.workflow.bootstrap.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Merges the configuration: environment variables, then the optional properties file, then
 * command-line flags; a later source wins. The file and the flags may only name known keys.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /** The merged key/value map, checked; {@code file} and {@code flags} may be null. */
    public static Map<String, String> load(Map<String, String> env, Path file, Map<String, String> flags) {
        Map<String, String> merged = new HashMap<>(env);
        if (file != null) merged.putAll(readFile(file));
        if (flags != null) {
            flags.forEach((key, value) -> {
                if (!ConfigKeys.isKnown(key)) throw new ConfigException("unknown configuration key '" + key + "' given with --set; known keys: " + known());
                merged.put(key, value);
            });
        }
        checkUri(merged, ConfigKeys.MONGOOSE, Set.of("mongodb", "mongodb+srv"));
        checkUri(merged, ConfigKeys.AMQP_URI, Set.of("amqp", "amqps"));
        checkFolder(merged, ConfigKeys.DEFINITIONS_DIR);
        return Map.copyOf(merged);
    }

    /**
     * One line per {@code WORKFLOW_*} environment variable that is no configuration key, naming the closest key. The
     * environment is not refused like a file or a flag: it holds other programs' variables too.
     */
    public static List<String> unknownEnvironmentVariables(Map<String, String> env) {
        return env.keySet().stream().filter(ConfigKeys::isUnknownWorkflowVariable).sorted()
                .map(name -> "environment variable " + name + " is not a configuration key and is ignored; did you mean "
                        + ConfigKeys.closest(name) + "?")
                .toList();
    }

    static Map<String, String> readFile(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("--config '" + file + "' cannot be read: " + e.getMessage());
        }
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (!ConfigKeys.isKnown(key)) {
                throw new ConfigException("unknown configuration key '" + key + "' in " + file + "; known keys: " + known());
            }
            values.put(key, properties.getProperty(key).trim());
        }
        return values;
    }

    private static void checkFolder(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null || value.isBlank()) return;
        boolean folder;
        try {
            folder = Files.isDirectory(Path.of(value.trim()));
        } catch (java.nio.file.InvalidPathException e) {
            folder = false;
        }
        if (!folder) throw new ConfigException(key + "='" + value.trim() + "' is not a folder");
    }

    private static void checkUri(Map<String, String> values, String key, Set<String> schemes) {
        String value = values.get(key);
        if (value == null || value.isBlank()) return;
        try {
            URI uri = new URI(value.trim());
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase())) {
                throw new ConfigException(key + "='" + Redaction.uri(value) + "' is not a URI with scheme " + String.join(" or ", schemes));
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(key + "='" + Redaction.uri(value) + "' is not a valid URI: " + e.getReason());
        }
    }

    private static String known() {
        return String.join(", ", ConfigKeys.all().stream().map(ConfigKey::name).toList());
    }
}
