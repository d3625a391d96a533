package io.crmsync.config;

/** A configuration problem; the message names the key at fault. */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String key;

  /** Creates the exception for a key. */
  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The key at fault. */
  public String key() {
    return key;
  }
}
