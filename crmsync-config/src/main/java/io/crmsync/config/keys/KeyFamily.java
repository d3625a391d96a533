package io.crmsync.config.keys;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keys that come in numbered or named families, such as {@code mapping.<FIELD>} or
 * {@code consent.<n>.topic}: one declaration per shape, with the documentation of a single key.
 * {@code <n>} stands for a number, any other {@code <WORD>} for a name ({@code <TYPE>} for the
 * e-mail event types listed in {@code choices}).
 *
 * @param shape the key's shape, e.g. {@code consent.<n>.topic}
 * @param doc one line saying what it is for
 * @param examples lines for the sample file ({@code key=value}), in order
 * @param group the heading it is listed under
 * @param scopes where it may be set
 * @param choices the words {@code <TYPE>} may take, or empty for any name
 */
public record KeyFamily(
        String shape, String doc, List<String> examples, String group, Set<KeyScope> scopes, List<String> choices) {

    /** Checks the parts. */
    public KeyFamily {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(doc, "doc");
        examples = List.copyOf(examples);
        scopes = Set.copyOf(scopes);
        choices = List.copyOf(choices);
    }

    /** Whether {@code key} has this family's shape. */
    public boolean matches(String key) {
        return pattern().matcher(key).matches();
    }

    /** The family's prefix before its first placeholder, e.g. {@code consent.}. */
    public String prefix() {
        return shape.substring(0, shape.indexOf('<'));
    }

    private Pattern pattern() {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < shape.length()) {
            int open = shape.indexOf('<', i);
            if (open < 0) {
                regex.append(Pattern.quote(shape.substring(i)));
                break;
            }
            regex.append(Pattern.quote(shape.substring(i, open)));
            int close = shape.indexOf('>', open);
            String placeholder = shape.substring(open + 1, close);
            if (placeholder.equals("n")) {
                regex.append("[0-9A-Za-z_-]+");
            } else if (!choices.isEmpty()) {
                regex.append("(?:")
                        .append(String.join(
                                "|", choices.stream().map(Pattern::quote).toList()))
                        .append(")");
            } else {
                regex.append("[^.]+");
            }
            i = close + 1;
        }
        return Pattern.compile(regex.toString());
    }
}
