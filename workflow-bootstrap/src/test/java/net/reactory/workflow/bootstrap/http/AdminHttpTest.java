package net.reactory.workflow.bootstrap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The admin port's HTTP server alone, with a stand-in API: where handlers run and what a stop does (issue 14, point 4). */
class AdminHttpTest {

    @Test
    void givenABlockingApi_whenARequestIsHandled_thenItRunsOnAVirtualThread() throws Exception {
        AtomicBoolean virtual = new AtomicBoolean();
        try (AdminHttp http = new AdminHttp(InetAddress.getLoopbackAddress(), 0, 3_000, e -> {
            virtual.set(Thread.currentThread().isVirtual());
            return Response.text(200, "text/plain; charset=utf-8", "ok");
        })) {
            http.start();
            RawHttp.Answer answer = RawHttp.send(http.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Server")).as("no version banner").isNull();
        }
        assertThat(virtual).isTrue();
    }

    @Test
    void givenARequestInProgress_whenClosed_thenNewConnectionsAreRefusedAndTheRequestIsAnsweredInFull() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AdminHttp http = new AdminHttp(InetAddress.getLoopbackAddress(), 0, 10_000, e -> {
            entered.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
            return Response.text(200, "text/plain; charset=utf-8", "finished");
        });
        http.start();
        int port = http.port();
        // Own threads: the common pool may have one worker on a small machine, which the slow client would hold.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        CompletableFuture<RawHttp.Answer> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.send(port, "POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n{}");
            } catch (IOException x) {
                throw new IllegalStateException(x);
            }
        }, threads);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closed = CompletableFuture.runAsync(http::close, threads);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> refused(port));
        assertThat(closed).as("the stop waits for the request in progress").isNotDone();
        release.countDown();

        RawHttp.Answer answer = slow.get(10, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("finished");
        closed.get(10, TimeUnit.SECONDS);
        threads.close();
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
