package net.reactory.workflow.bootstrap.mongo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The driver's publishers waited for, for bootstrap's few calls outside the stores' ports (the start's ping, the
 * bench's database drop); the stores have their own waiting inside the Mongo adapter.
 */
public final class Awaited {

    private Awaited() {
    }

    /** Every item {@code publisher} gives, once it completes within {@code timeout}; its error as the cause of an ExecutionException. */
    public static <T> List<T> all(Publisher<T> publisher, Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<List<T>> done = new CompletableFuture<>();
        List<T> items = new ArrayList<>();
        publisher.subscribe(new Subscriber<>() {
            @Override
            public void onSubscribe(Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(T item) {
                items.add(item);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(items);
            }
        });
        return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
