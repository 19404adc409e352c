package net.reactory.workflow.bootstrap.cli;

/** What scripts can rely on; the README's CLI section lists them. */
public final class ExitCodes {

    public static final int OK = 0;
    /** An unexpected error, or the daemon did not stop cleanly. */
    public static final int ERROR = 1;
    /** Bad arguments or a bad configuration value. */
    public static final int USAGE = 2;
    /** The daemon answered 404: no such workflow or instance. */
    public static final int NOT_FOUND = 3;
    /** The daemon refused the request: 400, 405, 409, 413, 422 or 501. */
    public static final int REFUSED = 4;
    /** The daemon answered 401: missing or wrong token. */
    public static final int UNAUTHORIZED = 5;
    /** The daemon could not be reached or answered 503. */
    public static final int UNAVAILABLE = 6;
    /** {@code start --wait}: the instance failed, was terminated, or still runs after {@code --timeout}. */
    public static final int NOT_COMPLETE = 7;

    private ExitCodes() {
    }

    static int forStatus(int status) {
        return switch (status) {
            case 404 -> NOT_FOUND;
            case 401 -> UNAUTHORIZED;
            case 503 -> UNAVAILABLE;
            case 400, 405, 409, 413, 422, 501 -> REFUSED;
            default -> ERROR;
        };
    }
}
