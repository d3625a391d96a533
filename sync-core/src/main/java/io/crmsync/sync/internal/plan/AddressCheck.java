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

    private static final Pattern LOCAL =
            Pattern.compile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?");
    private static final Pattern TOP_LABEL = Pattern.compile("\\p{L}{2,63}|xn--[a-zA-Z0-9-]{1,59}");
    private static final Pattern MOBILE = Pattern.compile("\\+?[0-9]{6,15}");

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
        if (local.isEmpty() || local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return Optional.of("has an invalid part before the @");
        }
        String[] labels = domain.split("\\.", -1);
        if (labels.length < 2) {
            return Optional.of("has a domain without a dot");
        }
        for (int i = 0; i < labels.length - 1; i++) {
            if (!LABEL.matcher(labels[i]).matches()) {
                return Optional.of("has an invalid domain");
            }
        }
        if (!TOP_LABEL.matcher(labels[labels.length - 1]).matches()) {
            return Optional.of("has an invalid top-level domain");
        }
        return Optional.empty();
    }

    /** Why {@code number} is not a usable mobile number, or empty when it is. Never quotes it. */
    static Optional<String> mobileProblem(String number) {
        String digits = number.replaceAll("[\\s.()\\-]", "");
        if (!MOBILE.matcher(digits).matches()) {
            return Optional.of("is not a phone number of 6 to 15 digits with an optional leading +");
        }
        return Optional.empty();
    }
}
