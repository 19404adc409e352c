package net.reactory.workflow.bootstrap;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;

/**
 * {@code java -jar workflow-runner.jar [run]}: runs the daemon until SIGTERM or SIGINT, then stops
 * gracefully and exits 0.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "run" : args[0];
        int status = switch (command) {
            case "run" -> run();
            case "--help", "-h", "help" -> {
                System.out.println("usage: java -jar workflow-runner.jar [run]");
                yield 0;
            }
            default -> {
                System.err.println("unknown command '" + command + "'; usage: java -jar workflow-runner.jar [run]");
                yield 2;
            }
        };
        System.exit(status);
    }

    private static int run() {
        CountDownLatch stopRequested = new CountDownLatch(1);
        // Handling the signals ourselves (not a shutdown hook) lets the daemon stop gracefully and exit 0.
        Signal.handle(new Signal("TERM"), s -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), s -> stopRequested.countDown());
        Daemon daemon;
        try {
            daemon = Daemon.fromEnvironment();
            daemon.start();
        } catch (Exception e) {
            log.error("workflow runner failed to start: {}", e.getMessage(), e);
            return 1;
        }
        log.info("workflow runner is running; stop it with SIGTERM");
        try {
            stopRequested.await();
            log.info("stop requested: finishing in-flight steps");
            daemon.stop();
            return 0;
        } catch (Exception e) {
            log.error("workflow runner did not stop cleanly: {}", e.toString(), e);
            return 1;
        }
    }
}
