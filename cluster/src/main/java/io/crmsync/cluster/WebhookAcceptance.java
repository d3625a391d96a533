package io.crmsync.cluster;

/**
 * What a node answers a tenant's webhook call: the HTTP status and a short message. A call that
 * is accepted ({@code 202}) has become a one-time task keyed by tenant and delivery id, so a
 * repeated delivery while the first is still queued is the same task; the work runs on whichever
 * node picks it, at once when this node has a free thread.
 *
 * @param status the HTTP status to answer: 202 accepted, 401 bad secret, 404 unknown tenant or
 *     webhook not configured, 413 too large, 503 try again later
 * @param message what happened, without personal data or secrets
 */
public record WebhookAcceptance(int status, String message) {

  /** Whether the delivery was queued. */
  public boolean accepted() {
    return status == 202;
  }
}
