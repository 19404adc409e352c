package net.reactory.workflow.bootstrap.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The operator-facing settings: where the admin API listens, its token, the largest body, the plugin folder.
 *
 * @param adminToken empty when requests need no token (then only a loopback bind is allowed)
 */
public record OperatorConfig(InetAddress bind, int port, Optional<String> adminToken, int maxBodyBytes, Optional<Path> pluginsDir) {

    public static final int MIN_TOKEN_LENGTH = 16;

    @Override
    public String toString() {
        return "OperatorConfig[bind=" + bind.getHostAddress() + ", port=" + port + ", adminToken=" + (adminToken.isPresent() ? "***" : "none")
                + ", maxBodyBytes=" + maxBodyBytes + ", pluginsDir=" + pluginsDir.map(Path::toString).orElse("none") + "]";
    }

    /** For in-process use: loopback, any free port, no token, no plugins. */
    public static OperatorConfig defaults() {
        return from(Map.of());
    }

    /** Reads and checks the operator keys of the merged configuration. */
    public static OperatorConfig from(Map<String, String> values) {
        String bindText = value(values, ConfigKeys.HTTP_BIND, "127.0.0.1");
        InetAddress bind;
        try {
            if (!bindText.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) throw new UnknownHostException();
            bind = InetAddress.getByName(bindText);
        } catch (UnknownHostException e) {
            throw new ConfigException(ConfigKeys.HTTP_BIND + "='" + bindText + "' is not an address of this machine (such as 127.0.0.1 or 0.0.0.0)");
        }
        int port = integer(values, ConfigKeys.HTTP_PORT, 8090, 0, 65_535);
        Optional<String> token = Optional.ofNullable(values.get(ConfigKeys.ADMIN_TOKEN)).map(String::trim).filter(t -> !t.isEmpty());
        if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException(ConfigKeys.ADMIN_TOKEN + "='***' (value hidden) is shorter than " + MIN_TOKEN_LENGTH + " characters");
        }
        if (token.isPresent() && !token.get().matches("[\\x21-\\x7e]+")) {
            throw new ConfigException(ConfigKeys.ADMIN_TOKEN + "='***' (value hidden) must be printable ASCII without spaces");
        }
        if (!bind.isLoopbackAddress() && token.isEmpty()) {
            throw new ConfigException(ConfigKeys.HTTP_BIND + "='" + bindText + "' is not a loopback address and " + ConfigKeys.ADMIN_TOKEN
                    + " is not set: refusing to expose the admin API without a token (set " + ConfigKeys.ADMIN_TOKEN + ", or bind 127.0.0.1)");
        }
        int maxBody = integer(values, ConfigKeys.HTTP_MAX_BODY, 1_048_576, 1, Integer.MAX_VALUE - 1);
        Optional<Path> plugins = Optional.ofNullable(values.get(ConfigKeys.PLUGINS_DIR)).map(String::trim).filter(p -> !p.isEmpty()).map(Path::of);
        if (plugins.isPresent() && !Files.isDirectory(plugins.get())) {
            throw new ConfigException(ConfigKeys.PLUGINS_DIR + "='" + plugins.get() + "' is not a folder");
        }
        return new OperatorConfig(bind, port, token, maxBody, plugins);
    }

    private static String value(Map<String, String> values, String key, String fallback) {
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static int integer(Map<String, String> values, String key, int fallback, int min, int max) {
        String text = values.get(key);
        if (text == null || text.isBlank()) return fallback;
        try {
            int n = Integer.parseInt(text.trim());
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + "='" + text + "' is not a whole number from " + min + " to " + max);
        }
    }
}
