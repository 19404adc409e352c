package net.reactory.workflow.application.service.run;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Instance and event ids: UUID-shaped strings (version 4 layout), made without a secure random draw per id,
 * which costs a lock and a read of the system's random source at a rate of hundreds of thousands per second.
 * The first half is drawn once per runner; the second half counts from a random start. So ids are unique
 * within a runner by construction, and across runners unless two draw the same 60 bits (4 are the version). Within a runner they
 * are sequential: an id names an instance, it does not authorise anything (the admin API has its token).
 */
public final class Ids {

    private final long high;
    private final AtomicLong next;

    public Ids() {
        this(new SecureRandom());
    }

    Ids(SecureRandom random) {
        this.high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        this.next = new AtomicLong(random.nextLong());
    }

    public String next() {
        long low = next.getAndIncrement();
        return new UUID(high, (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L).toString(); // IETF variant
    }
}
