package io.crmsync.sync.state.jdbc;

/** The state store's database failed; the message says which operation. */
public class StateStoreException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public StateStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
