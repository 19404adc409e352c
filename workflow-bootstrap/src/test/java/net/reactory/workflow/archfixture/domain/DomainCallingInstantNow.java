package net.reactory.workflow.archfixture.domain;

import java.time.Instant;

/** Violates: the time comes only from the injected InstantSource. */
public class DomainCallingInstantNow {
    Instant startedAt() {
        return Instant.now();
    }
}
