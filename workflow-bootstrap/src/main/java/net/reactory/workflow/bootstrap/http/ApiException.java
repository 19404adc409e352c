package net.reactory.workflow.bootstrap.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.Refusal;
import net.reactory.workflow.application.port.in.RunnerNotInitializedException;

/** A request that ends with an error response: its HTTP status and stable code. */
public final class ApiException extends RuntimeException {

    private static final Logger log = LoggerFactory.getLogger(ApiException.class);

    private final int status;
    private final String code;

    public ApiException(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /**
     * What the runner threw as an error response. The kind of refusal is {@link Refusal#of}, the one mapping every
     * edge shares; this switch only gives each kind its HTTP status and code.
     */
    public static ApiException of(Throwable thrown) {
        Throwable cause = Refusal.unwrap(thrown);
        if (cause instanceof ApiException api) return api;
        String message = cause.getMessage();
        return switch (Refusal.of(cause)) {
            case UNKNOWN_WORKFLOW, UNKNOWN_INSTANCE -> notFound(message);
            case INSTANCE_FINISHED, DUPLICATE_WORKFLOW, INVALID_STATE -> conflict(message);
            case INVALID_INPUT -> invalid(message);
            case UNAVAILABLE -> unavailable(cause instanceof RunnerNotInitializedException
                    ? "the runner is not running (starting or stopping)"
                    : "unavailable now, try again later: " + message);
            case INTERNAL -> {
                log.warn("admin API: unexpected {}: {}", cause.getClass().getName(), LogSafe.of(message));
                yield new ApiException(500, "internal", "internal error: " + cause.getClass().getSimpleName());
            }
        };
    }

    /**
     * The error for a status the HTTP layer chose itself (a request its parser refused, a stop in progress), with the
     * code the README documents for it; a status without its own code gets the generic one of its class.
     */
    public static ApiException ofStatus(int status, String message) {
        String code = switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 408 -> "request_timeout";
            case 409 -> "conflict";
            case 411 -> "length_required";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 422 -> "invalid_input";
            case 431 -> "request_header_fields_too_large";
            case 501 -> "not_implemented";
            case 503 -> "unavailable";
            case 505 -> "http_version_not_supported";
            default -> status >= 500 ? "internal" : "bad_request";
        };
        return new ApiException(status, code, message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "bad_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException invalid(String message) {
        return new ApiException(422, "invalid_input", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "conflict", message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, "unavailable", message);
    }
}
