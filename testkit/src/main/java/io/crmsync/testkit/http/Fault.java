package io.crmsync.testkit.http;

import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour an emulator can be told to show: an HTTP status with a problem body, an HTML 504
 * page as a gateway would send, a connection closed without an answer, or a delay before the
 * normal answer.
 *
 * <pre>{@code
 * emulator.faults().next(2, Fault.status(503));
 * emulator.faults().next(1, Fault.connectionReset());
 * }</pre>
 */
public final class Fault {

  /** The kinds of fault. */
  public enum Kind {
    /** Answer the given status. */
    STATUS,
    /** Answer 504 with an HTML page. */
    HTML_504,
    /** Close the connection without answering. */
    CONNECTION_RESET,
    /** Wait, then answer normally. */
    DELAY
  }

  private final Kind kind;
  private final int status;
  private final Duration delay;

  private Fault(Kind kind, int status, Duration delay) {
    this.kind = kind;
    this.status = status;
    this.delay = delay;
  }

  /** Answer {@code status} (e.g. 500, 503, 429) with a short body. */
  public static Fault status(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    return new Fault(Kind.STATUS, status, Duration.ZERO);
  }

  /** Answer 504 with an HTML page, as a reverse proxy does on a long request. */
  public static Fault html504() {
    return new Fault(Kind.HTML_504, 504, Duration.ZERO);
  }

  /** Close the connection without an answer. */
  public static Fault connectionReset() {
    return new Fault(Kind.CONNECTION_RESET, 0, Duration.ZERO);
  }

  /** Wait {@code delay}, then answer normally. */
  public static Fault delay(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative");
    }
    return new Fault(Kind.DELAY, 0, delay);
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  /** The status for {@link Kind#STATUS} and {@link Kind#HTML_504}. */
  public int statusCode() {
    return status;
  }

  /** The delay for {@link Kind#DELAY}. */
  public Duration delay() {
    return delay;
  }

  @Override
  public String toString() {
    return "Fault{" + kind + (kind == Kind.STATUS ? " " + status : "")
        + (kind == Kind.DELAY ? " " + delay : "") + "}";
  }
}
