package net.reactory.workflow.bootstrap.config;

/**
 * One configuration key as the README's table lists it.
 *
 * @param name         the environment variable, also the key in a {@code --config} file and for {@code --set}
 * @param defaultValue as the README's table shows it
 * @param secret       its value never appears in a message or a log line
 */
public record ConfigKey(String name, String defaultValue, String description, boolean secret) {
}
