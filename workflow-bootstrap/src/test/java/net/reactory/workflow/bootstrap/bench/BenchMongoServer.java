package net.reactory.workflow.bootstrap.bench;

import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * The benchmark's stand-in MongoDB in a process of its own, so that its CPU is measured apart from the runner's:
 * {@code mongo-java-server} with the memory backend on 127.0.0.1. Test scope: it never enters the daemon's jar.
 * How to run it is in docs/benchmarks.md (MongoDB section).
 */
public final class BenchMongoServer {

    private BenchMongoServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27018;
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        System.out.println("mongo-java-server listening on mongodb://127.0.0.1:" + port + " (pid " + ProcessHandle.current().pid() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdownNow();
            stopped.countDown();
        }, "bench-mongo-stop"));
        stopped.await();
    }
}
