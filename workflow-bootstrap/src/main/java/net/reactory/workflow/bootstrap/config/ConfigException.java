package net.reactory.workflow.bootstrap.config;

/** A configuration value that stops the start; the message names the key and the value (secrets masked). */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
