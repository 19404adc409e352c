package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.util.List;

/** One resource of {@code /api/v1}: answers the requests below its root ({@code /api/v1/<name>/...}). */
interface Resource {

    /** @param request its {@link Request#path()} is what follows the resource's name, empty for the collection itself */
    Response handle(Request request) throws IOException;

    /** The operations this resource answers, for the route table and the API description. */
    List<Route> routes();
}
