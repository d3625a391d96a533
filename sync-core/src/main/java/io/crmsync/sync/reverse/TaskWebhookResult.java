package io.crmsync.sync.reverse;

import java.util.OptionalLong;

/**
 * What handling a task webhook did, and which HTTP status the host should answer.
 *
 * @param outcome what happened
 * @param status the HTTP status to answer (200, 400, 401, 404, 413, 422)
 * @param message a short explanation, safe to return to the caller (no personal data)
 * @param taskKey the Acti key, for {@link Outcome#CREATED} and {@link Outcome#DUPLICATE}
 */
public record TaskWebhookResult(Outcome outcome, int status, String message, OptionalLong taskKey) {

    /** The outcomes. */
    public enum Outcome {
        /** A task was created (200). */
        CREATED,
        /** The delivery was handled before; nothing new was created (200). */
        DUPLICATE,
        /** The body is not a valid payload (400). */
        BAD_PAYLOAD,
        /** The secret or signature is missing or wrong (401); nothing was written. */
        UNAUTHORIZED,
        /** No single Efficy contact matches the payload (404). */
        UNKNOWN_CONTACT,
        /** The body is larger than allowed (413). */
        TOO_LARGE,
        /** The assignee is not an Efficy user and there is no default user (422). */
        UNKNOWN_USER,
        /**
         * Another instance is creating this delivery's task right now (503): the sender should
         * deliver again later, and then gets {@link #DUPLICATE}, or the task if that instance died.
         */
        IN_PROGRESS
    }

    /** A result without a task, with the status that goes with the outcome. */
    public static TaskWebhookResult failed(Outcome outcome, String message) {
        int status = switch (outcome) {
            case CREATED, DUPLICATE -> 200;
            case BAD_PAYLOAD -> 400;
            case UNAUTHORIZED -> 401;
            case UNKNOWN_CONTACT -> 404;
            case TOO_LARGE -> 413;
            case UNKNOWN_USER -> 422;
            case IN_PROGRESS -> 503;
        };
        return new TaskWebhookResult(outcome, status, message, OptionalLong.empty());
    }

    /** A result with the task it created or found (200). */
    public static TaskWebhookResult withTask(Outcome outcome, long key, String message) {
        return new TaskWebhookResult(outcome, 200, message, OptionalLong.of(key));
    }
}
