package io.crmsync.testkit.internal.efficy;

/** A failure of one function: inline {@code #error}, or the whole request, by error shape. Package-private. */
final class FuncError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String code;

    FuncError(String code, String text) {
        super(text, null, false, false);
        this.code = code;
    }
}
