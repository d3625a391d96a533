package io.crmsync.console.view;

import java.util.Objects;

/**
 * What an operator's action did, shown on the page it came from.
 *
 * @param ok whether it was done (or queued)
 * @param message one line that says what was done, or what was wrong and why; never a secret
 */
public record ActionResult(boolean ok, String message) {

    /** Checks the parts. */
    public ActionResult {
        Objects.requireNonNull(message, "message");
    }

    /** Done. */
    public static ActionResult done(String message) {
        return new ActionResult(true, message);
    }

    /** Not done, and why. */
    public static ActionResult refused(String message) {
        return new ActionResult(false, message);
    }
}
