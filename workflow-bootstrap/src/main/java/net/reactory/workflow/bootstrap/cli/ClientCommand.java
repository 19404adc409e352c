package net.reactory.workflow.bootstrap.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to a running daemon; turns replies into output and exit codes. */
abstract class ClientCommand implements Callable<Integer> {

    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        try {
            return execute(options.client());
        } catch (ApiClient.Unreachable e) {
            err().println(e.getMessage());
            return ExitCodes.UNAVAILABLE;
        } catch (IOException e) {
            err().println("cannot read the token file: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (picocli.CommandLine.ParameterException e) {
            err().println(e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    abstract int execute(ApiClient client) throws ApiClient.Unreachable;

    /** Prints the reply (JSON with --json, else {@code plain}) or the error line; returns the exit code. */
    int finish(ApiClient.Reply reply, java.util.function.Function<JsonNode, String> plain) {
        if (!reply.ok()) {
            err().println(reply.errorLine());
            return ExitCodes.forStatus(reply.status());
        }
        out().println(options.json || reply.body() == null ? pretty(reply) : plain.apply(reply.body()));
        out().flush();
        return ExitCodes.OK;
    }

    static String pretty(ApiClient.Reply reply) {
        if (reply.body() == null) return reply.text();
        try {
            return ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(reply.body());
        } catch (JsonProcessingException e) {
            return reply.text();
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Object parseJson(String text, String what) {
        try {
            return ApiClient.JSON.readValue(text, Object.class);
        } catch (IOException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), what + " is not valid JSON" + whereBroken(e));
        }
    }

    /**
     * " at line 1, column 1: Unrecognized token 'not' ...": Jackson's own message without its source description
     * ({@code [Source: REDACTED ...]}), which says nothing to someone who typed the JSON on the command line.
     */
    static String whereBroken(IOException e) {
        if (!(e instanceof JsonProcessingException j)) return ": " + e.getMessage();
        String why = j.getOriginalMessage() == null ? "broken JSON" : j.getOriginalMessage().lines().findFirst().orElse("broken JSON");
        JsonLocation at = j.getLocation();
        if (at == null || at.getLineNr() < 1) return ": " + why;
        return " at line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + why;
    }

    static String segment(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
