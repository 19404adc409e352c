package net.reactory.workflow.bootstrap.http;

import java.util.Map;

import net.reactory.workflow.application.port.in.TraceHeaders;

/**
 * The caller's W3C trace context, read from a request's {@code traceparent} and {@code tracestate} headers: stored with
 * the instance a start creates, or with the event a publish stores. A malformed one is dropped, never refused.
 */
final class CallerTrace {

    private CallerTrace() {
    }

    static Map<String, String> of(Request request) {
        return TraceHeaders.of(request.header(TraceHeaders.TRACEPARENT), request.header(TraceHeaders.TRACESTATE));
    }
}
