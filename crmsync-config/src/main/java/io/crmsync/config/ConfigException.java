package io.crmsync.config;

import io.crmsync.client.CrmsyncException;

/**
 * A configuration problem. The message names the key at fault and never quotes a value that came
 * from a secret key or a {@code ${NAME}} reference.
 */
public final class ConfigException extends CrmsyncException {

    private static final long serialVersionUID = 1L;

    private final String key;

    /** Creates the exception for a key. */
    public ConfigException(String key, String problem) {
        super(key + ": " + problem, 0, NO_REQUEST, null);
        this.key = key;
    }

    /** The key at fault. */
    public String key() {
        return key;
    }
}
