package net.reactory.workflow.bootstrap.http;

import java.io.InputStream;
import java.util.function.UnaryOperator;

/**
 * One HTTP request as the admin API reads it, free of the server library: the method, the path and query exactly as
 * sent (still percent-encoded), the headers by name, the caller's address and the body as a stream. {@link AdminHttp}
 * builds it; {@link Request} and {@link DashboardAssets} only see this.
 *
 * @param header a header's first value by name (any case), or null
 * @param remoteAddress the peer's IP address, or null when unknown
 */
record Exchange(String method, String rawPath, String rawQuery, UnaryOperator<String> header, String remoteAddress, InputStream body) {
}
