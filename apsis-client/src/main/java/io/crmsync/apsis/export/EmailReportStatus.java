package io.crmsync.apsis.export;

import java.net.URI;
import java.util.Optional;

/**
 * The state of an email event report.
 *
 * @param reportId the report's id
 * @param status its status as sent ({@code completed} when the file is ready)
 * @param downloadUrl the file URL once completed
 * @param downloadAuth the {@code x-apsis-auth} credential to send with the download, when the
 *     status was read with {@code header_auth=true} and APSIS returned one
 */
public record EmailReportStatus(
        String reportId, String status, Optional<URI> downloadUrl, Optional<String> downloadAuth) {

    /** Whether the file is ready. */
    public boolean isCompleted() {
        return "completed".equalsIgnoreCase(status) && downloadUrl.isPresent();
    }

    /** Whether the report failed. */
    public boolean isFailed() {
        return "failed".equalsIgnoreCase(status) || "error".equalsIgnoreCase(status);
    }

    @Override
    public String toString() {
        return "EmailReportStatus{" + reportId + ", " + status + "}";
    }
}
