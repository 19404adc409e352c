package net.reactory.workflow.adapter.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import com.mongodb.MongoException;

import net.reactory.workflow.application.port.out.StoreUnavailableException;

/**
 * The ports are synchronous (the runner calls them from virtual threads), the driver is reactive:
 * this subscribes to a publisher and waits for all it emits. A driver error stays a {@link MongoException}
 * so that callers can handle the ones they expect (a duplicate key); a timeout or an interrupt becomes a
 * {@link StoreUnavailableException}. Public for bootstrap's few calls outside the ports (the start's ping, the bench's
 * database drop).
 */
public final class Blocking {

    private Blocking() {
    }

    /** All a query emits; a query given up on (timeout, interrupt) is cancelled. */
    public static <T> List<T> all(Publisher<T> publisher, Duration timeout) {
        return collect(publisher, timeout, true);
    }

    /** Writes and single answers are never cancelled: a write given up on may still land, and the store then knows it by its writeId. */
    private static <T> List<T> collect(Publisher<T> publisher, Duration timeout, boolean cancelOnGiveUp) {
        CompletableFuture<List<T>> done = new CompletableFuture<>();
        AtomicReference<Subscription> subscription = new AtomicReference<>();
        publisher.subscribe(new Subscriber<T>() {
            private final List<T> items = new ArrayList<>();

            @Override
            public void onSubscribe(Subscription s) {
                subscription.set(s);
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(T item) {
                items.add(item);
            }

            @Override
            public void onError(Throwable t) {
                done.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                done.complete(items);
            }
        });
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) throw r;
            throw new StoreUnavailableException("MongoDB call failed: " + cause, cause);
        } catch (TimeoutException e) {
            if (cancelOnGiveUp) cancel(subscription.get());
            throw new StoreUnavailableException("MongoDB did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            if (cancelOnGiveUp) cancel(subscription.get());
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for MongoDB", e);
        }
    }

    /** Stops a read nobody waits for any more; a write already sent may still land (its outcome is in doubt). */
    private static void cancel(Subscription s) {
        if (s == null) return;
        try {
            s.cancel();
        } catch (RuntimeException ignored) {
            // Cancelling is a courtesy to the driver.
        }
    }

    static <T> Optional<T> first(Publisher<T> publisher, Duration timeout) {
        List<T> items = collect(publisher, timeout, false);
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }

    static <T> T one(Publisher<T> publisher, Duration timeout) {
        return first(publisher, timeout).orElseThrow(() -> new StoreUnavailableException("MongoDB answered nothing", null));
    }
}
