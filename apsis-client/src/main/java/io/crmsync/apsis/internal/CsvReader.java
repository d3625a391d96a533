package io.crmsync.apsis.internal;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV one record at a time from a stream, so a large file is never held in memory.
 * Accepts CRLF or LF line ends and quoted fields spanning lines. Not thread-safe.
 */
public final class CsvReader {

    private final Reader in;
    private final char[] buffer = new char[8192];
    private int position;
    private int limit;
    private boolean ended;

    /** Reads from {@code in} (buffering it is not needed); the caller closes it. */
    public CsvReader(Reader in) {
        this.in = in;
    }

    /**
     * The next record, or null at the end of the input. An empty line is skipped.
     *
     * @throws IOException on read failure or a quote left open at the end
     */
    public List<String> next() throws IOException {
        while (true) {
            int c = read();
            if (c == -1) {
                return null;
            }
            if (c == '\n') {
                continue;
            }
            if (c == '\r') {
                continue;
            }
            return record(c);
        }
    }

    private List<String> record(int first) throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int c = first;
        boolean quoted = false;
        boolean afterQuote = false;
        while (true) {
            if (quoted) {
                if (c == -1) {
                    throw new IOException("CSV ends inside a quoted field");
                }
                if (c == '"') {
                    int n = read();
                    if (n == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        afterQuote = true;
                        c = n;
                        continue;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c == '\r' || c == '\n' || c == -1) {
                if (c == '\r') {
                    int n = read();
                    if (n != '\n' && n != -1) {
                        position--;
                    }
                }
                fields.add(field.toString());
                return fields;
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (position >= limit) {
            if (ended) {
                return -1;
            }
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                ended = true;
                limit = 0;
                return -1;
            }
        }
        return buffer[position++];
    }
}
