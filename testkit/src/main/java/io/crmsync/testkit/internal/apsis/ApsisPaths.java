package io.crmsync.testkit.internal.apsis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Route templates, path segments and percent-decoding of the APSIS emulator. Package-private. */
final class ApsisPaths {

    private ApsisPaths() {}

    /** The route template of a path, with discriminators and keys as placeholders. */
    static String route(String m, String[] p) {
        StringBuilder b = new StringBuilder(m).append(' ');
        for (int i = 0; i < p.length; i++) {
            b.append('/');
            String prev = i > 0 ? p[i - 1] : "";
            switch (prev) {
                case "keyspaces":
                    b.append("{ks}");
                    break;
                case "profiles":
                    b.append(p[i].equals("merges") ? "merges" : "{pk}");
                    break;
                case "sections":
                    b.append("{s}");
                    break;
                case "imports":
                case "reports":
                    b.append("{id}");
                    break;
                case "attributes":
                    b.append("{v}");
                    break;
                default:
                    b.append(p[i]);
            }
        }
        return b.toString();
    }

    static String profileKey(String[] p) {
        for (int i = 0; i + 1 < p.length; i++) {
            if (p[i].equals("profiles") && !p[i + 1].equals("merges")) {
                return p[i - 1] + "/" + p[i + 1];
            }
        }
        return null;
    }

    static boolean path(String[] p, String... expected) {
        return Arrays.equals(p, expected);
    }

    static String[] segments(String rawPath) {
        String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (trimmed.isEmpty()) {
            return new String[0];
        }
        String[] raw = trimmed.split("/", -1);
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = percentDecode(raw[i]);
        }
        return out;
    }

    /** RFC 3986 percent-decoding; unlike URLDecoder it leaves '+' as '+'. */
    static String percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
