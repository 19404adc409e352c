package net.reactory.workflow.adapter.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import com.mongodb.MongoException;

import net.reactory.workflow.application.port.out.StoreUnavailableException;

/**
 * The ports are synchronous (the runner calls them from virtual threads), the driver is reactive:
 * this subscribes to a publisher and waits for all it emits. A driver error stays a {@link MongoException}
 * so that callers can handle the ones they expect (a duplicate key); a timeout or an interrupt becomes a
 * {@link StoreUnavailableException}.
 */
final class Blocking {

    private Blocking() {
    }

    static <T> List<T> all(Publisher<T> publisher, Duration timeout) {
        CompletableFuture<List<T>> done = new CompletableFuture<>();
        publisher.subscribe(new Subscriber<T>() {
            private final List<T> items = new ArrayList<>();

            @Override
            public void onSubscribe(Subscription s) {
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
            throw new StoreUnavailableException("MongoDB did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for MongoDB", e);
        }
    }

    static <T> Optional<T> first(Publisher<T> publisher, Duration timeout) {
        List<T> items = all(publisher, timeout);
        return items.isEmpty() ? Optional.empty() : Optional.of(items.get(0));
    }

    static <T> T one(Publisher<T> publisher, Duration timeout) {
        return first(publisher, timeout).orElseThrow(() -> new StoreUnavailableException("MongoDB answered nothing", null));
    }
}
