package dev.attune.config;

/** A configuration that cannot run; the message names the key and what is wrong, on one line. */
public class ConfigException extends RuntimeException {
    private final String key;
    private final String problem;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    public String problem() {
        return problem;
    }

    public String key() {
        return key;
    }
}
