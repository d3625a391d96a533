package io.crmsync.testkit.internal.apsis;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a multipart/form-data body into field name → text (the file part as UTF-8 text). */
final class Multipart {

    private Multipart() {}

    static Map<String, String> parse(byte[] body, String boundary) {
        String text = new String(body, StandardCharsets.UTF_8);
        String delimiter = "--" + boundary;
        Map<String, String> parts = new LinkedHashMap<>();
        int at = text.indexOf(delimiter);
        while (at >= 0) {
            int start = at + delimiter.length();
            if (text.startsWith("--", start)) {
                break;
            }
            int headersEnd = text.indexOf("\r\n\r\n", start);
            int next = text.indexOf("\r\n" + delimiter, headersEnd);
            if (headersEnd < 0 || next < 0) {
                break;
            }
            String headers = text.substring(start, headersEnd);
            String content = text.substring(headersEnd + 4, next);
            int nameAt = headers.indexOf("name=\"");
            if (nameAt >= 0) {
                String name = headers.substring(nameAt + 6, headers.indexOf('"', nameAt + 6));
                parts.put(name, content);
            }
            at = next + 2;
        }
        return parts;
    }
}
