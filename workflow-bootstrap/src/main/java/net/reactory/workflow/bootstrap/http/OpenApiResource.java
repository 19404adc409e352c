package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.1 description of every route, a file of the jar
 * ({@code openapi.json}) kept true by a test that holds it to {@link AdminServer#routes()}.
 */
final class OpenApiResource implements Resource {

    static final String FILE = "openapi.json";

    private final byte[] document;

    OpenApiResource() {
        this.document = read();
    }

    static byte[] read() {
        try (InputStream in = OpenApiResource.class.getClassLoader().getResourceAsStream(FILE)) {
            if (in == null) throw new IllegalStateException(FILE + " is missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.get("/api/v1/openapi.json"));
    }

    @Override
    public Response handle(Request request) {
        if (!request.path().isEmpty()) throw ApiException.notFound("no such resource");
        request.allow("GET");
        return new Response(200, "application/json; charset=utf-8", document, Map.of());
    }
}
