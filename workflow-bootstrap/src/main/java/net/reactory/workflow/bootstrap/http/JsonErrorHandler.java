package net.reactory.workflow.bootstrap.http;

import java.nio.ByteBuffer;
import java.util.Locale;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What the admin port answers when Jetty itself refuses a request, before the API sees it: a malformed target
 * ({@code %zz}, a bare {@code %}, an ambiguous {@code %2F}), a bad {@code Content-Length}, headers or a target too
 * long, an unknown HTTP version, or a request that arrives while the server stops. The answer is the API's own
 * {@code {"error":{"status","code","message"}}} with the API's headers, not Jetty's HTML page, so a client parses
 * every answer of the port the same way. Jetty's reason is kept in the message, made printable and cut short.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        if (status < 400 || status > 599) status = 500;
        String detail = request.getAttribute(ERROR_MESSAGE) instanceof String m ? m
                : request.getAttribute(ERROR_EXCEPTION) instanceof Throwable t ? t.getMessage() : null;
        AdminHttp.send(request, response, callback, error(status, detail));
        return true;
    }

    /** Jetty's fallback for a message it refuses where no request can be built: the same body. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        Response error = error(status, reason);
        error.headers().forEach(fields::put);
        fields.put(HttpHeader.CONTENT_TYPE, error.contentType());
        return ByteBuffer.wrap(error.body());
    }

    static Response error(int status, String detail) {
        return AdminHttp.secured(Response.error(ApiException.ofStatus(status, message(status, detail))));
    }

    private static String message(int status, String detail) {
        if (status == 503) return "the daemon is stopping; send the request to another node or retry after its restart";
        // A 500 here is a fault of this server, not of the request: its detail would only leak internals.
        if (status >= 500 && status != 501 && status != 505) return "internal error";
        String reason = HttpStatus.getMessage(status).toLowerCase(Locale.ROOT);
        if (detail == null || detail.isBlank() || detail.equalsIgnoreCase(reason)) {
            // Jetty names no reason for some refusals, a malformed %-escape in the target among them.
            return status == 400 ? "bad request: the request line or a header is malformed (for example a bad %-escape in the path)" : reason;
        }
        return reason + ": " + Request.printable(detail);
    }
}
