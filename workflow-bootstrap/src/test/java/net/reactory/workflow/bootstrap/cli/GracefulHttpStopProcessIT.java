package net.reactory.workflow.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import net.reactory.workflow.adapter.mongo.MongoInstanceStore;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.bootstrap.http.DaemonProcess;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Issue 14, point 4: SIGTERM while clients POST starts without pause. Each POST goes on its own connection and
 * carries its own reference, and the store is a MongoDB in this JVM, so after the daemon is gone the test can tell,
 * for every request that got no answer, whether the node had committed it.
 *
 * <p>What the server (Jetty, graceful stop) can promise, and what is asserted: every request the server began to read is
 * answered in full (within the grace period), a 503 when it arrived after the stop began; a connection is refused once
 * the listener is closed. A connection the kernel
 * accepted into the listen backlog but the server had not yet taken is reset when the listener closes: the client may
 * have written its request by then, but the server never read it, so nothing was committed. So the assertion on
 * requests without an answer is the one that matters to a client: none of them started an instance.
 */
class GracefulHttpStopProcessIT {

    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");
    private static final Pattern LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");

    enum Outcome { ANSWERED, REFUSED, NO_ANSWER, PARTIAL }

    record Attempt(String reference, Outcome outcome, int status) {
    }

    @Test
    void givenPostsWithoutPause_whenSigterm_thenEveryRequestIsAnsweredInFullOrRefusedAndNoneUnansweredWasCommitted(@TempDir Path work)
            throws Exception {
        MongoServer mongo = new MongoServer(new MemoryBackend());
        InetSocketAddress address = mongo.bind();
        String uri = "mongodb://127.0.0.1:" + address.getPort() + "/graceful-http-it";
        ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
        try (MongoClient client = MongoClients.create(uri)) {
            DaemonProcess daemon = DaemonProcess.launch(work, Map.of("MONGOOSE", uri, "WORKFLOW_HTTP_PORT", "0",
                    "WORKFLOW_PERSISTENCE_FALLBACK", "fail")).awaitReady();
            int port = daemon.port();
            AtomicBoolean stopped = new AtomicBoolean();
            AtomicInteger answered = new AtomicInteger();
            CountDownLatch enoughAnswers = new CountDownLatch(200);
            try (daemon; ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < 12; c++) {
                    int clientNo = c;
                    clients.submit(() -> {
                        for (int n = 0; !stopped.get(); n++) {
                            Attempt a = post(port, "c" + clientNo + "-" + n);
                            attempts.add(a);
                            if (a.outcome() == Outcome.ANSWERED) {
                                answered.incrementAndGet();
                                enoughAnswers.countDown();
                            }
                            // Once the listener is closed, later tries only add refusals.
                            if (a.outcome() == Outcome.REFUSED) return;
                        }
                    });
                }
                assertThat(enoughAnswers.await(30, TimeUnit.SECONDS)).as("200 starts answered before SIGTERM; log:%n%s", daemon.log()).isTrue();

                int exit = daemon.terminate(Duration.ofSeconds(15));

                stopped.set(true);
                clients.shutdown();
                assertThat(clients.awaitTermination(20, TimeUnit.SECONDS)).as("clients done").isTrue();
                assertThat(exit).as("exit status; log:%n%s", daemon.log()).isZero();
            }

            Set<String> committed = new HashSet<>();
            for (WorkflowInstance i : new MongoInstanceStore(client.getDatabase("graceful-http-it"))
                    .query(InstanceFilter.all(1_000_000))) {
                if (i.reference() != null) committed.add(i.reference());
            }
            Map<Outcome, Integer> counts = new ConcurrentHashMap<>();
            List<String> unansweredButCommitted = new ArrayList<>();
            List<String> answeredButMissing = new ArrayList<>();
            for (Attempt a : attempts) {
                counts.merge(a.outcome(), 1, Integer::sum);
                if (a.outcome() != Outcome.ANSWERED && committed.contains(a.reference())) unansweredButCommitted.add(a.reference() + " " + a.outcome());
                if (a.outcome() == Outcome.ANSWERED && a.status() == 201 && !committed.contains(a.reference())) answeredButMissing.add(a.reference());
            }
            System.out.println("graceful HTTP stop: " + counts + " of " + attempts.size() + " requests, " + committed.size() + " committed");

            assertThat(counts.getOrDefault(Outcome.PARTIAL, 0)).as("answers cut short").isZero();
            assertThat(unansweredButCommitted).as("requests the node committed but did not answer (a retry would start a duplicate)").isEmpty();
            assertThat(answeredButMissing).as("201 answers whose instance is not in MongoDB").isEmpty();
            assertThat(counts.getOrDefault(Outcome.REFUSED, 0)).as("the listener closed: later connections refused").isPositive();
        } finally {
            mongo.shutdownNow();
        }
    }

    /** One POST on its own connection, read to the end. */
    private static Attempt post(int port, String reference) {
        byte[] body = ("{\"workflow\":\"reactory.Startup\",\"reference\":\"" + reference + "\"}").getBytes(StandardCharsets.UTF_8);
        String head = "POST /api/v1/instances HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        Socket socket;
        try {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        } catch (ConnectException refused) {
            return new Attempt(reference, Outcome.REFUSED, 0);
        } catch (IOException e) {
            return new Attempt(reference, Outcome.REFUSED, 0);
        }
        byte[] response;
        try (socket) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            response = in.readAllBytes();
        } catch (IOException reset) {
            return new Attempt(reference, Outcome.NO_ANSWER, 0);
        }
        String text = new String(response, StandardCharsets.ISO_8859_1);
        Matcher status = STATUS.matcher(text);
        if (!status.find()) return new Attempt(reference, response.length == 0 ? Outcome.NO_ANSWER : Outcome.PARTIAL, 0);
        int split = text.indexOf("\r\n\r\n");
        Matcher length = LENGTH.matcher(text);
        if (split < 0 || !length.find() || text.length() - split - 4 != Integer.parseInt(length.group(1))) {
            return new Attempt(reference, Outcome.PARTIAL, Integer.parseInt(status.group(1)));
        }
        return new Attempt(reference, Outcome.ANSWERED, Integer.parseInt(status.group(1)));
    }
}
