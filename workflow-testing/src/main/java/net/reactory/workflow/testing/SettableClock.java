package net.reactory.workflow.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until the test moves it: give it to the runner ({@code .clock(clock)}) and timers,
 * retries and deadlines fire when the test says so, not when the wall clock does.
 */
public final class SettableClock implements InstantSource {

    /** Where a clock made without a start instant begins. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    public SettableClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    public SettableClock() {
        this(DEFAULT_START);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    /** Moves the clock to {@code instant}; earlier than now is allowed, as a test may need to go back. */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    /**
     * Moves the clock forward by {@code by} and returns the new time.
     *
     * @throws IllegalArgumentException when {@code by} is negative: use {@link #set} to go back on purpose
     */
    public Instant advance(Duration by) {
        Objects.requireNonNull(by, "by");
        if (by.isNegative()) throw new IllegalArgumentException("advance(" + by + "): the clock only moves forward; use set(instant) to go back");
        return now.updateAndGet(t -> t.plus(by));
    }

    @Override
    public String toString() {
        return "SettableClock[" + instant() + "]";
    }
}
