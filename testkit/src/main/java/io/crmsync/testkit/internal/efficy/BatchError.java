package io.crmsync.testkit.internal.efficy;

/** A failure that fails the whole request, in the configured error shape. Package-private. */
final class BatchError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    BatchError(String code, String text) {
        super(text, null, false, false);
        this.code = code;
    }
}
