package io.crmsync.sync.internal.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AddressCheckTest {

    // The rules as first written, all by pattern: the checks by hand must give the same answers.
    private static final Pattern LOCAL =
            Pattern.compile("[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+(\\.[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[\\p{L}\\p{N}]([\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?");
    private static final Pattern TOP_LABEL = Pattern.compile("\\p{L}{2,63}|xn--[a-zA-Z0-9-]{1,59}");
    private static final Pattern MOBILE = Pattern.compile("\\+?[0-9]{6,15}");

    private static Optional<String> emailByPatterns(String address) {
        String a = address.trim();
        if (a.length() > 254) {
            return Optional.of("is longer than 254 characters");
        }
        int at = a.indexOf('@');
        if (at < 0 || at != a.lastIndexOf('@')) {
            return Optional.of(at < 0 ? "has no @" : "has more than one @");
        }
        String local = a.substring(0, at);
        String[] labels = a.substring(at + 1).split("\\.", -1);
        if (local.isEmpty() || local.length() > 64 || !LOCAL.matcher(local).matches()) {
            return Optional.of("has an invalid part before the @");
        }
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

    private static boolean mobileByPattern(String number) {
        return MOBILE.matcher(number.replaceAll("[\\s.()\\-]", "")).matches();
    }

    @Test
    void commonAddressesAndNumbersAreJudgedAsTheRulesSay() {
        assertThat(AddressCheck.emailProblem("anna.peeters@example.be")).isEmpty();
        assertThat(AddressCheck.emailProblem(" zoë@bücher.de ")).isEmpty();
        assertThat(AddressCheck.emailProblem("a@xn--bcher-kva.example")).isEmpty();
        assertThat(AddressCheck.emailProblem("anna..peeters@example.be")).contains("has an invalid part before the @");
        assertThat(AddressCheck.emailProblem("anna@example")).contains("has a domain without a dot");
        assertThat(AddressCheck.emailProblem("anna@-example.be")).contains("has an invalid domain");
        assertThat(AddressCheck.emailProblem("anna@example.b3")).contains("has an invalid top-level domain");
        assertThat(AddressCheck.mobileProblem("+32 (0)470 12.34-56")).isEmpty();
        assertThat(AddressCheck.mobileProblem("32+470123456")).isPresent();
        assertThat(AddressCheck.mobileProblem("12345")).isPresent();
    }

    @Test
    void checksByHandAgreeWithThePatternsOnRandomText() {
        String alphabet = "ab9Z.-_+@@..é漢 \t()!#xn--";
        Random random = new Random(26);
        for (int i = 0; i < 30_000; i++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(24);
            for (int j = 0; j < n; j++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = random.nextInt(4) == 0 ? b + "@ex-ample.com" : b.toString();
            assertThat(AddressCheck.emailProblem(text)).as(text).isEqualTo(emailByPatterns(text));
            String digits = text.replaceAll("[a-zA-Z@é漢_!#]", "1");
            assertThat(AddressCheck.mobileProblem(digits).isEmpty()).as(digits).isEqualTo(mobileByPattern(digits));
        }
    }
}
