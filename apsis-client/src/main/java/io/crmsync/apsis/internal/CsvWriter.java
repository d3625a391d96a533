package io.crmsync.apsis.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes RFC 4180 CSV in UTF-8 (no byte-order mark): CRLF line ends; a field is quoted when it
 * holds a comma, a quote, CR or LF, or starts or ends with a space; quotes inside are doubled.
 * Counts the bytes written so files can be split below a size limit. Not thread-safe.
 */
public final class CsvWriter {

    private final OutputStream out;
    private long bytes;

    /** Writes to {@code out}; the caller closes it. */
    public CsvWriter(OutputStream out) {
        this.out = out;
    }

    /** Writes one record. A {@code null} field is written as empty. */
    public void writeRow(List<String> fields) throws IOException {
        write(encode(fields));
    }

    /** Writes one record already {@link #encode encoded}. */
    public void write(byte[] line) throws IOException {
        out.write(line);
        bytes += line.length;
    }

    /** One record in UTF-8, with its CRLF: encode once, check its size, then {@link #write} it. */
    public static byte[] encode(List<String> fields) {
        return format(fields).getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return bytes;
    }

    static String format(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            String f = fields.get(i) == null ? "" : fields.get(i);
            boolean quote = f.indexOf(',') >= 0
                    || f.indexOf('"') >= 0
                    || f.indexOf('\n') >= 0
                    || f.indexOf('\r') >= 0
                    || (!f.isEmpty() && (f.charAt(0) == ' ' || f.charAt(f.length() - 1) == ' '));
            if (quote) {
                b.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                b.append(f);
            }
        }
        return b.append("\r\n").toString();
    }
}
