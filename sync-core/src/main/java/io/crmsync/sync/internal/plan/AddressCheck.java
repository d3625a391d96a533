package io.crmsync.sync.internal.plan;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks e-mail addresses and mobile numbers before anything is sent to APSIS, whose e-mail
 * keyspace takes only valid addresses and which refuses a bad one only after the profile was
 * created. A contact that fails is quarantined with no request made.
 *
 * <p>The rules are deliberately those of a working address, not all of RFC 5322: one {@code @};
 * a local part of at most 64 characters without spaces, quotes or leading, trailing or doubled
 * dots; a domain of at least two labels of letters, digits and inner hyphens, with a top-level
 * label of at least two letters (or an {@code xn--} label). Letters may be any Unicode letters.
 * A mobile number is at most one leading {@code +} and 6 to 15 digits, once spaces, dots,
 * hyphens and brackets are taken out (E.164 allows 15 digits).
 */
final class AddressCheck {

    // The rules as patterns; the checks below apply them by hand to ASCII text (every address is
    // checked on every full sync) and use the patterns only for text with other characters.
    private static final Pattern LOCAL =
            Pattern.compile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?");
    private static final Pattern TOP_LABEL = Pattern.compile("\\p{L}{2,63}|xn--[a-zA-Z0-9-]{1,59}");
    private static final String LOCAL_SYMBOLS = "!#$%&'*+/=?^_`{|}~-";

    private AddressCheck() {}

    /** Why {@code address} is not a usable e-mail address, or empty when it is. Never quotes it. */
    static Optional<String> emailProblem(String address) {
        String a = address.trim();
        if (a.length() > 254) {
            return Optional.of("is longer than 254 characters");
        }
        int at = a.indexOf('@');
        if (at < 0 || at != a.lastIndexOf('@')) {
            return Optional.of(at < 0 ? "has no @" : "has more than one @");
        }
        String local = a.substring(0, at);
        String domain = a.substring(at + 1);
        if (local.isEmpty() || local.length() > 64 || !localPart(local)) {
            return Optional.of("has an invalid part before the @");
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of("has a domain without a dot");
        }
        for (int i = 0; i < labels.length - 1; i++) {
            if (!label(labels[i])) {
                return Optional.of("has an invalid domain");
            }
        }
        if (!topLabel(labels[labels.length - 1])) {
            return Optional.of("has an invalid top-level domain");
        }
        return Optional.empty();
    }

    /** Why {@code number} is not a usable mobile number, or empty when it is. Never quotes it. */
    static Optional<String> mobileProblem(String number) {
        // Spaces, dots, hyphens and brackets taken out, then at most one leading + and 6 to 15 digits.
        int digits = 0;
        boolean plus = false;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c == ' '
                    || c == '\t'
                    || c == '\n'
                    || c == '\u000B'
                    || c == '\f'
                    || c == '\r'
                    || c == '.'
                    || c == '('
                    || c == ')'
                    || c == '-') {
                continue;
            }
            if (c == '+' && digits == 0 && !plus) {
                plus = true;
            } else if (c >= '0' && c <= '9') {
                digits++;
            } else {
                digits = -1;
                break;
            }
        }
        if (digits < 6 || digits > 15) {
            return Optional.of("is not a phone number of 6 to 15 digits with an optional leading +");
        }
        return Optional.empty();
    }

    private static boolean localPart(String local) {
        if (!ascii(local)) {
            return LOCAL.matcher(local).matches();
        }
        char previous = '.'; // so that a leading dot is refused
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '.') {
                if (previous == '.') {
                    return false;
                }
            } else if (!alphanumeric(c) && LOCAL_SYMBOLS.indexOf(c) < 0) {
                return false;
            }
            previous = c;
        }
        return previous != '.';
    }

    private static boolean label(String label) {
        if (!ascii(label)) {
            return LABEL.matcher(label).matches();
        }
        int n = label.length();
        if (n == 0 || n > 63 || !alphanumeric(label.charAt(0)) || !alphanumeric(label.charAt(n - 1))) {
            return false;
        }
        for (int i = 1; i < n - 1; i++) {
            char c = label.charAt(i);
            if (!alphanumeric(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean topLabel(String label) {
        if (!ascii(label)) {
            return TOP_LABEL.matcher(label).matches();
        }
        int n = label.length();
        if (label.startsWith("xn--")) {
            if (n < 5 || n > 63) {
                return false;
            }
            for (int i = 4; i < n; i++) {
                char c = label.charAt(i);
                if (!alphanumeric(c) && c != '-') {
                    return false;
                }
            }
            return true;
        }
        if (n < 2 || n > 63) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = label.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean alphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
