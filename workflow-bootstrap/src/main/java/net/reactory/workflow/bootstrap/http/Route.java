package net.reactory.workflow.bootstrap.http;

/**
 * One operation the admin server answers: a method and a path as the OpenAPI description writes it
 * ({@code /api/v1/instances/{id}}). Every resource lists its own, so that {@link AdminServer#routes()} is the whole
 * table and a test can hold the description to it.
 */
public record Route(String method, String path) {

    static Route get(String path) {
        return new Route("GET", path);
    }

    static Route post(String path) {
        return new Route("POST", path);
    }
}
