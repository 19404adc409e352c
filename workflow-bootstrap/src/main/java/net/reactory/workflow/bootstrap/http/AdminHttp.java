package net.reactory.workflow.bootstrap.http;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;

/**
 * The admin port's HTTP server, on Jetty core (no servlets). Jetty rather than the JDK's {@code com.sun.net.httpserver}
 * because the JDK server answers what its parser refuses (a bad escape, {@code Content-Length: -1}, {@code *} as the
 * target, an unknown transfer coding) with its own HTML page before any handler runs; Jetty hands those to an error
 * handler, here {@link JsonErrorHandler}, so every answer of the port is the API's JSON.
 *
 * <p>What it keeps of the JDK setup: one listener on the configured address and port with a backlog of 256, at most
 * 512 connections, a client that sends nothing for 30 s is dropped, and handlers run on virtual threads (Jetty's
 * selector stays on a small platform pool). A stop is graceful ({@link GracefulHandler}): the listener closes at
 * once, requests in progress are answered for up to the grace period, and a request that still arrives on an open
 * connection gets a JSON 503. (The connector's part of the graceful stop closes the listener, so a new client is
 * refused rather than queued by the kernel and reset at the end.)
 */
final class AdminHttp implements AutoCloseable {

    /** The API side: one request in, one answer out. IOException means the client went away while sending. */
    @FunctionalInterface
    interface Api {
        Response answer(Exchange exchange) throws IOException;
    }

    private static final Logger log = LoggerFactory.getLogger(AdminHttp.class);
    private static final int BACKLOG = 256;
    private static final int MAX_CONNECTIONS = 512;
    private static final long IDLE_TIMEOUT_MS = 30_000;
    private static final long SHUTDOWN_IDLE_MS = 100;
    /** Request line and headers together; a longer target is a 414, longer headers a 431. */
    static final int MAX_HEADER_BYTES = 8 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService handlers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("admin-http-", 0).factory());

    /** Binds the port at once (so {@link #port()} is known and a port in use fails here); {@link #start()} serves. */
    AdminHttp(InetAddress bind, int port, long stopGraceMillis, Api api) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(8, 2);
        threads.setName("admin-http");
        threads.setVirtualThreadsExecutor(handlers);
        server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(MAX_HEADER_BYTES);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind.getHostAddress());
        connector.setPort(port);
        connector.setAcceptQueueSize(BACKLOG);
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        // At a stop, a kept-alive connection with no request on it is closed after this long instead of Jetty's 1 s,
        // so an idle server stops at once; a request being handled is not cut by it (it has the whole grace).
        connector.setShutdownIdleTimeout(SHUTDOWN_IDLE_MS);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
        server.setHandler(new GracefulHandler(new Bridge(api)));
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(stopGraceMillis);
        server.setStopAtShutdown(false); // the daemon handles SIGTERM itself and closes this in order
        connector.open();
    }

    void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the admin API could not start: " + e.getMessage(), e);
        }
    }

    int port() {
        return connector.getLocalPort();
    }

    /** Graceful: see the class comment. Returns once every connection is closed. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            log.warn("admin API: requests still running when the stop's grace ran out were cut off ({})", LogSafe.of(e));
        }
        handlers.shutdown();
        try {
            if (!handlers.awaitTermination(1, TimeUnit.SECONDS)) handlers.shutdownNow();
        } catch (InterruptedException e) {
            handlers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Writes an answer with its length (a HEAD gets the headers only) and the headers every answer carries. */
    static void send(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response, Callback callback,
                     Response answer) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        answer.headers().forEach(headers::put);
        headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        byte[] body = answer.body();
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = HttpMethod.HEAD.is(request.getMethod());
        response.write(true, head || body.length == 0 ? null : ByteBuffer.wrap(body), callback);
    }

    /** The answer with the headers no answer of the port goes without: never cached, never sniffed as another type. */
    static Response secured(Response answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.putAll(answer.headers());
        return new Response(answer.status(), answer.contentType(), answer.body(), Map.copyOf(headers));
    }

    /** Jetty's request to the API's {@link Exchange}, and the answer back; blocking, so Jetty runs it on a virtual thread. */
    private static final class Bridge extends Handler.Abstract {

        private final Api api;

        Bridge(Api api) {
            this.api = api;
        }

        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response, Callback callback) {
            HttpFields fields = request.getHeaders();
            Exchange exchange = new Exchange(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                    fields::get, org.eclipse.jetty.server.Request.getRemoteAddr(request),
                    org.eclipse.jetty.server.Request.asInputStream(request));
            Response answer;
            try {
                answer = api.answer(exchange);
            } catch (IOException e) {
                log.debug("admin API: could not read {}: {}", LogSafe.of(request.getMethod()), LogSafe.of(e));
                callback.failed(e);
                return true;
            }
            send(request, response, callback, answer);
            return true;
        }
    }
}
