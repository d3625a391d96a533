package io.crmsync.sync.reverse;

/**
 * Cleans text a webhook sends before it reaches Efficy: control characters (NUL and the other C0
 * and C1 controls) and the invisible bidirectional controls that can make a subject read
 * differently from what it holds (U+202A to U+202E, U+2066 to U+2069, U+200E, U+200F, U+061C) are
 * removed; a single-line field also turns tabs and line breaks into spaces. Package-private.
 */
final class TaskText {

    private TaskText() {}

    /** The text cleaned for a one-line field, or null when nothing is left. */
    static String singleLine(String s) {
        return clean(s, false);
    }

    /** The text cleaned for a memo, keeping line breaks and tabs, or null when nothing is left. */
    static String multiLine(String s) {
        return clean(s, true);
    }

    private static String clean(String s, boolean keepBreaks) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                b.append(keepBreaks ? (char) cp : ' ');
            } else if (!removed(cp)) {
                b.appendCodePoint(cp);
            }
        });
        String out = b.toString().trim();
        return out.isEmpty() ? null : out;
    }

    static boolean removed(int cp) {
        return Character.getType(cp) == Character.CONTROL // C0, DEL and C1
                || (cp >= 0x202A && cp <= 0x202E)
                || (cp >= 0x2066 && cp <= 0x2069)
                || cp == 0x200E
                || cp == 0x200F
                || cp == 0x061C;
    }
}
