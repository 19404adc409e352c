package net.reactory.workflow.adapter.mongo;

import net.reactory.workflow.application.port.out.StoreUnavailableException;

/**
 * A compare-and-set on one instance document lost its race every time it was tried: other writes kept changing the
 * document between the read and the write. A passing condition, like an outage: the same call may succeed later.
 */
public final class CompareAndSetExhaustedException extends StoreUnavailableException {

    public CompareAndSetExhaustedException(String what, String instanceId, int attempts) {
        super(what + " of instance " + instanceId + " gave up after " + attempts
                + " compare-and-set attempts: other writes kept changing the document", null);
    }
}
