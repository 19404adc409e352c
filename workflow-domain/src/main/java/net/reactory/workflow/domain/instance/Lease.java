package net.reactory.workflow.domain.instance;

import java.time.Instant;
import java.util.Objects;

/** A runner node's claim on an instance, valid until {@code until}. */
public record Lease(String owner, Instant until) {

    public Lease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(until, "until");
    }

    /** A lease still holds while its end lies after {@code now}. */
    public boolean isHeldAt(Instant now) {
        return until.isAfter(now);
    }
}
