package io.crmsync.apsis;

import io.crmsync.apsis.imports.ImportJob;
import io.crmsync.client.ScratchFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

/**
 * An import file's upload: a multipart POST to the job's upload URL, its form fields first and the
 * file last (storage services require that order), without the API's token. Package-private; see
 * {@link ImportService#upload}.
 */
final class ImportUpload {

    private ImportUpload() {}

    static void send(ApsisTransport transport, ImportJob job, Path csv) {
        try {
            ScratchFiles.checkFile(csv);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        String boundary = "crmsync-" + UUID.randomUUID();
        StringBuilder head = new StringBuilder();
        job.uploadFields()
                .forEach((name, value) -> head.append("--")
                        .append(boundary)
                        .append("\r\n")
                        .append("Content-Disposition: form-data; name=\"")
                        .append(name)
                        .append("\"\r\n\r\n")
                        .append(value)
                        .append("\r\n"));
        head.append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Disposition: form-data; name=\"file\"; filename=\"profiles.csv\"\r\n")
                .append("Content-Type: text/csv\r\n\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        transport.send(ApsisRequest.builder("POST", "/upload/{id}", job.importId()).absolute(job.uploadUrl()).stream(
                        () -> {
                            try {
                                return HttpRequest.BodyPublishers.concat(
                                        HttpRequest.BodyPublishers.ofByteArray(start),
                                        HttpRequest.BodyPublishers.ofFile(csv),
                                        HttpRequest.BodyPublishers.ofByteArray(end));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        "multipart/form-data; boundary=" + boundary)
                .accept(null)
                .idempotent()
                .build());
    }
}
