package io.crmsync.apsis.imports;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A created import waiting for its file: where to upload it and the form fields the upload must
 * carry (to a storage host, without the bearer token).
 *
 * @param importId the import's id
 * @param uploadUrl the {@code file_upload_url}
 * @param uploadFields the {@code file_upload_body} form fields, in order
 * @param uploadUrlExpiresAt when the upload URL expires, as sent (may be empty)
 */
public record ImportJob(String importId, URI uploadUrl, Map<String, String> uploadFields, String uploadUrlExpiresAt) {

    /** Copies the fields (keeping their order). */
    public ImportJob {
        uploadFields = Collections.unmodifiableMap(new LinkedHashMap<>(uploadFields));
    }

    @Override
    public String toString() {
        // The upload URL and fields carry a storage credential.
        return "ImportJob{" + importId + "}";
    }
}
