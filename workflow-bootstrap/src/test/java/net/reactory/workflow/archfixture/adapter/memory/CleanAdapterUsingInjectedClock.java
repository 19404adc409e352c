package net.reactory.workflow.archfixture.adapter.memory;

import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDateTime;
import java.util.Date;

/** Breaks nothing: the time from the injected clock, an elapsed-time measure, a conversion to Date. */
public class CleanAdapterUsingInjectedClock {
    private final InstantSource clock;

    public CleanAdapterUsingInjectedClock(InstantSource clock) {
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    Date legacyStamp() {
        return Date.from(clock.instant());
    }

    LocalDateTime local(Clock zoned) {
        return LocalDateTime.now(zoned);
    }

    long elapsedNanos(long startedNanos) {
        return System.nanoTime() - startedNanos;
    }
}
