package net.reactory.workflow.application.service.run;

import java.time.InstantSource;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Instance and event ids: UUIDv7 (RFC 9562), the 48-bit Unix time in milliseconds from the injected clock
 * followed by 74 random bits. Ids sort by creation time to the millisecond, and a neighbour's id says nothing
 * about the next one beyond its millisecond.
 *
 * <p>The random bits come from {@link ThreadLocalRandom}, not {@link java.security.SecureRandom}: a secure draw
 * per id costs a lock and a read of the system's random source at hundreds of thousands of ids per second, while
 * a thread-local draw is a few arithmetic operations, no lock and no allocation. That is unguessable enough for
 * ids that are not secrets: an id names an instance or an event, it does not authorise anything (the admin API
 * has its token, the broker its credentials). Someone who sees ids cannot enumerate others by counting up, but
 * the generator is not cryptographic, so nothing may rely on an id being unpredictable to a determined analyst.
 * Uniqueness rests on the 74 random bits per millisecond: a million ids in one millisecond collide with a
 * probability below 10<sup>-10</sup>.
 */
public final class Ids {

    private static final long VERSION_7 = 0x7000L;
    private static final long IETF_VARIANT = 0x8000_0000_0000_0000L;

    private final InstantSource clock;

    public Ids(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = clock.millis() & 0xFFFF_FFFF_FFFFL;
        long high = millis << 16 | VERSION_7 | random.nextInt(1 << 12);
        long low = random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | IETF_VARIANT;
        return new UUID(high, low).toString();
    }
}
