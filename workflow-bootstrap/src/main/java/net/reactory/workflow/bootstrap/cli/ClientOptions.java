package net.reactory.workflow.bootstrap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Option;

/** How a client command reaches the daemon. */
final class ClientOptions {

    @Option(names = "--url", paramLabel = "URL", defaultValue = "${env:WORKFLOW_URL:-http://127.0.0.1:8090}",
            description = "the daemon's admin API (default: $WORKFLOW_URL, else http://127.0.0.1:8090)")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "file holding the admin token (default: $WORKFLOW_ADMIN_TOKEN)")
    Path tokenFile;

    @Option(names = "--json", description = "print the daemon's JSON answer as it is")
    boolean json;

    ApiClient client() throws IOException {
        String token = tokenFile != null ? Files.readString(tokenFile).trim() : System.getenv("WORKFLOW_ADMIN_TOKEN");
        return new ApiClient(url, token);
    }
}
