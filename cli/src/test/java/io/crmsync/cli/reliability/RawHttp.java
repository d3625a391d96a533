package io.crmsync.cli.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 by hand over a socket, so a test can send what no HTTP client would: broken framing,
 * bad chunking, a body shorter than its length, bytes one at a time.
 */
final class RawHttp {

    /**
     * An answer: its status (0 when none came) and body, and whether the connection was reset (a
     * server that closes with unread request data makes TCP reset it, which can discard an answer
     * already sent).
     */
    record Answer(int status, String contentType, String body, boolean reset) {
        boolean answered() {
            return status > 0;
        }
    }

    private RawHttp() {}

    /** A request with the given head lines and body; Content-Length is set unless a head line sets framing. */
    static byte[] request(String method, String path, String body, String... headers) {
        StringBuilder b = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        boolean framed = false;
        for (String h : headers) {
            b.append(h).append("\r\n");
            String lower = h.toLowerCase(Locale.ROOT);
            framed |= lower.startsWith("content-length:") || lower.startsWith("transfer-encoding:");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (!framed && body != null) {
            b.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        b.append("Connection: close\r\n\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + bytes.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(bytes, 0, all, head.length, bytes.length);
        return all;
    }

    /** Sends raw bytes and reads the answer, waiting at most {@code timeout}. */
    static Answer send(int port, byte[] raw, Duration timeout) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) timeout.toMillis());
            try {
                s.getOutputStream().write(raw);
                s.getOutputStream().flush();
            } catch (IOException closedEarly) {
                // the server may answer and close before reading everything (413, 431): read what it said
            }
            return read(s.getInputStream());
        }
    }

    /** Reads one answer (the connection is closed after it). */
    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        boolean reset = false;
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                bytes.write(buf, 0, n);
            }
        } catch (SocketTimeoutException timedOut) {
            // what came so far
        } catch (IOException e) {
            reset = true; // what came so far
        }
        String text = bytes.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("HTTP/1.1 ") || text.length() < 12) {
            return new Answer(0, "", text, reset);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0
                ? ""
                : new String(bytes.toByteArray(), split + 4, bytes.size() - split - 4, StandardCharsets.UTF_8);
        String type = "";
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-type:")) {
                type = line.substring(13).trim();
            }
            if (line.equalsIgnoreCase("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
        }
        return new Answer(status, type, body, reset);
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).trim().split(";")[0], 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }
}
