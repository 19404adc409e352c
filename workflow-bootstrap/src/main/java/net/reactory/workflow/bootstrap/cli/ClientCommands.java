package net.reactory.workflow.bootstrap.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The commands that drive a running daemon through its admin API. */
final class ClientCommands {

    private ClientCommands() {
    }

    @Command(name = "start", mixinStandardHelpOptions = true, description = "Start an instance; prints its id.")
    static final class Start extends ClientCommand {
        @Parameters(index = "0", paramLabel = "WORKFLOW", description = "nameSpace.name (the newest version) or nameSpace.name@1.0.0")
        String workflow;
        @Option(names = "--data", paramLabel = "JSON", description = "the instance's data as JSON")
        String data;
        @Option(names = "--data-file", paramLabel = "FILE", description = "file holding the data as JSON")
        Path dataFile;
        @Option(names = "--reference", paramLabel = "KEY", description = "idempotency key: a second start with it returns the first instance")
        String reference;
        @Option(names = "--wait", description = "wait until the instance finishes; exit 7 when it failed, was terminated or still runs after --timeout")
        boolean await;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "how long --wait waits (default: ${DEFAULT-VALUE})")
        int timeoutSeconds;

        @Override
        int execute(ApiClient client) throws ApiClient.Unreachable {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("workflow", workflow);
            if (reference != null) body.put("reference", reference);
            try {
                if (dataFile != null) body.put("data", parseJson(Files.readString(dataFile), "--data-file"));
                else if (data != null) body.put("data", parseJson(data, "--data"));
            } catch (IOException e) {
                err().println("cannot read " + dataFile + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            ApiClient.Reply reply = client.post("/api/v1/instances", body);
            if (!reply.ok() || !await) return finish(reply, b -> b.path("id").asText());
            String id = reply.body().path("id").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (true) {
                ApiClient.Reply status = client.get("/api/v1/instances/" + segment(id));
                if (!status.ok()) return finish(status, b -> "");
                String s = status.body().path("status").asText();
                if (s.equals("COMPLETE") || s.equals("FAILED") || s.equals("TERMINATED")) {
                    out().println(options.json ? pretty(status) : id + " " + s);
                    out().flush();
                    return s.equals("COMPLETE") ? ExitCodes.OK : ExitCodes.NOT_COMPLETE;
                }
                if (System.nanoTime() > deadline) {
                    err().println("instance " + id + " still " + s + " after " + timeoutSeconds + " s");
                    return ExitCodes.NOT_COMPLETE;
                }
                try {
                    Thread.sleep(100); // a CLI polling a remote daemon: there is nothing to wait on but time
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return ExitCodes.ERROR;
                }
            }
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show an instance: status, data, pointers, errors, history.")
    static final class Status extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        int execute(ApiClient client) throws ApiClient.Unreachable {
            return finish(client.get("/api/v1/instances/" + segment(id)), b -> pretty(new ApiClient.Reply(200, b, "")));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List instances, oldest first: id, status, definition, created.")
    static final class ListInstances extends ClientCommand {
        @Option(names = "--status", paramLabel = "STATUS", description = "RUNNABLE, SUSPENDED, COMPLETE, TERMINATED or FAILED")
        String status;
        @Option(names = "--definition", paramLabel = "WORKFLOW", description = "nameSpace.name")
        String definition;
        @Option(names = "--from", paramLabel = "INSTANT", description = "created at or after (ISO-8601)")
        String from;
        @Option(names = "--to", paramLabel = "INSTANT", description = "created before (ISO-8601)")
        String to;
        @Option(names = "--offset", defaultValue = "0", description = "skip this many (default: ${DEFAULT-VALUE})")
        int offset;
        @Option(names = "--limit", defaultValue = "50", description = "at most this many, up to 1000 (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        int execute(ApiClient client) throws ApiClient.Unreachable {
            StringJoiner q = new StringJoiner("&", "?", "");
            if (status != null) q.add("status=" + segment(status));
            if (definition != null) q.add("definition=" + segment(definition));
            if (from != null) q.add("from=" + segment(from));
            if (to != null) q.add("to=" + segment(to));
            q.add("offset=" + offset).add("limit=" + limit);
            return finish(client.get("/api/v1/instances" + q), b -> {
                StringBuilder s = new StringBuilder();
                for (JsonNode i : b.path("items")) {
                    s.append(i.path("id").asText()).append('\t').append(i.path("status").asText()).append('\t')
                            .append(i.path("definition").asText()).append('\t').append(i.path("createdAt").asText()).append('\n');
                }
                if (!b.path("nextOffset").isNull()) s.append("# more: --offset ").append(b.path("nextOffset").asInt()).append('\n');
                return s.toString().stripTrailing();
            });
        }
    }

    abstract static class Lifecycle extends ClientCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        abstract String command();

        String reason() {
            return null;
        }

        @Override
        int execute(ApiClient client) throws ApiClient.Unreachable {
            Map<String, Object> body = new LinkedHashMap<>();
            if (reason() != null) body.put("reason", reason());
            return finish(client.post("/api/v1/instances/" + segment(id) + "/" + command(), body),
                    b -> b.path("id").asText() + " " + b.path("status").asText());
        }
    }

    @Command(name = "suspend", mixinStandardHelpOptions = true, description = "Suspend an instance; prints its id and new status.")
    static final class Suspend extends Lifecycle {
        @Option(names = "--reason", paramLabel = "TEXT")
        String reason;

        String command() {
            return "suspend";
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a suspended instance; prints its id and new status.")
    static final class Resume extends Lifecycle {
        String command() {
            return "resume";
        }
    }

    @Command(name = "terminate", mixinStandardHelpOptions = true, description = "Terminate an instance; prints its id and new status.")
    static final class Terminate extends Lifecycle {
        @Option(names = "--reason", paramLabel = "TEXT")
        String reason;

        String command() {
            return "terminate";
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "publish-event", mixinStandardHelpOptions = true, description = "Publish an external event that waiting instances receive.")
    static final class PublishEvent extends ClientCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "KEY")
        String key;
        @Option(names = "--data", paramLabel = "JSON", description = "the event's data as JSON")
        String data;
        @Option(names = "--effective-at", paramLabel = "INSTANT", description = "when the event takes effect (ISO-8601; default: now)")
        String effectiveAt;

        @Override
        int execute(ApiClient client) throws ApiClient.Unreachable {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("key", key);
            if (data != null) body.put("data", parseJson(data, "--data"));
            if (effectiveAt != null) body.put("effectiveAt", effectiveAt);
            return finish(client.post("/api/v1/events", body), b -> "published " + name + " " + key);
        }
    }

    @Command(name = "definitions", mixinStandardHelpOptions = true,
            description = "List registered workflows, or show one with its step graph.")
    static final class Definitions extends ClientCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "WORKFLOW", description = "nameSpace.name[@version] to show")
        String workflow;

        @Override
        int execute(ApiClient client) throws ApiClient.Unreachable {
            if (workflow != null) {
                return finish(client.get("/api/v1/definitions/" + segment(workflow)), b -> pretty(new ApiClient.Reply(200, b, "")));
            }
            return finish(client.get("/api/v1/definitions"), b -> {
                StringBuilder s = new StringBuilder();
                for (JsonNode d : b.path("items")) {
                    s.append(d.path("key").asText()).append('\t').append(d.path("category").asText()).append('\t')
                            .append(d.path("steps").asInt()).append(" steps").append(d.path("autoStart").asBoolean() ? "\tauto-start" : "").append('\n');
                }
                return s.toString().stripTrailing();
            });
        }
    }
}
