package io.crmsync.apsis.export;

import io.crmsync.apsis.internal.CsvReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;

/**
 * Streams {@link EmailEvent}s out of an export file (gzip CSV, or plain CSV when the stream is
 * not gzipped), one row at a time. Rows with an event type this client does not know are skipped.
 * Close it to release the connection.
 */
public final class EmailEventReader implements Iterator<EmailEvent>, AutoCloseable {

    private final InputStream stream;
    private final CsvReader csv;
    private final List<String> header;
    private EmailEvent next;
    private int rowsRead;

    /**
     * Opens a reader on an export stream; reads the header row now.
     *
     * @throws IOException when the stream cannot be read or has no header
     */
    public EmailEventReader(InputStream raw) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 65536);
        buffered.mark(2);
        int b1 = buffered.read();
        int b2 = buffered.read();
        buffered.reset();
        this.stream = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(buffered, 65536) : buffered;
        this.csv = new CsvReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        List<String> h = csv.next();
        if (h == null) {
            throw new IOException("email event export has no header row");
        }
        this.header = List.copyOf(h.stream().map(String::trim).toList());
        if (!header.contains("type") || !header.contains("correlation_id")) {
            throw new IOException("email event export header lacks type or correlation_id");
        }
    }

    /** The header row. */
    public List<String> header() {
        return header;
    }

    /** Data rows read so far, known and unknown types alike. */
    public int rowsRead() {
        return rowsRead;
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        try {
            List<String> row;
            while ((row = csv.next()) != null) {
                rowsRead++;
                Map<String, String> columns = new HashMap<>();
                for (int i = 0; i < header.size() && i < row.size(); i++) {
                    columns.put(header.get(i), row.get(i));
                }
                EmailEvent event = toEvent(columns);
                if (event != null) {
                    next = event;
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("email event export could not be read", e);
        }
    }

    @Override
    public EmailEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        EmailEvent e = next;
        next = null;
        return e;
    }

    private static EmailEvent toEvent(Map<String, String> c) {
        var type = EmailEventType.of(c.get("type"));
        String correlation = c.getOrDefault("correlation_id", "").trim();
        if (type.isEmpty() || correlation.isEmpty()) {
            return null;
        }
        long eventMillis = millis(c.get("event_time"));
        if (eventMillis <= 0) {
            eventMillis = millis(c.get("server_time"));
        }
        return new EmailEvent(
                type.get(),
                c.getOrDefault("address", "").trim(),
                correlation,
                Instant.ofEpochMilli(Math.max(0, eventMillis)),
                c.getOrDefault("activity_id", ""),
                c.getOrDefault("activity_name", ""),
                c.getOrDefault("subject", ""),
                c);
    }

    private static long millis(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(value.trim()).toEpochMilli();
            } catch (RuntimeException ignored) {
                return 0;
            }
        }
    }

    @Override
    public void close() throws IOException {
        stream.close();
    }
}
