package io.crmsync.apsis;

import java.net.http.HttpHeaders;

/** A response the transport accepted: its status, headers and body. Package-private. */
record ApsisResponse(int status, HttpHeaders headers, byte[] body) {}
