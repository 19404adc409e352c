package net.reactory.workflow.adapter.mongo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes whose answer was lost (a timeout, a dropped connection): such a write may have landed or not. Each create
 * and save stamps its document with a {@code writeId}; when the caller tries the same write again (same instance,
 * same revisions), it gets the same id back, so the store can recognise a write that had landed as its own instead
 * of taking it for a conflicting one.
 */
final class InDoubtWrites {

    /** Abandoned retries must not grow without bound: past this many, the memory is dropped. */
    private static final int MAX_REMEMBERED = 100_000;

    /** One write of an instance, identified by {@code writeId} in the document it wrote. */
    private record Attempt(long expectedRevision, long revision, String writeId) {
    }

    private final Map<String, Attempt> inDoubt = new ConcurrentHashMap<>();
    private final String writerPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
    private final AtomicLong writes = new AtomicLong();

    /**
     * The id for a write of {@code instanceId} from {@code expectedRevision} to {@code revision}: the id of the
     * same write in doubt, if there is one, else a new one. A create expects revision {@code -1}.
     */
    String writeIdFor(String instanceId, long expectedRevision, long revision) {
        Attempt previous = inDoubt.get(instanceId);
        if (previous != null && previous.expectedRevision() == expectedRevision && previous.revision() == revision) return previous.writeId();
        return writerPrefix + Long.toHexString(writes.incrementAndGet());
    }

    /** The answer of this write was lost: remember it, so that a retry is recognised. */
    void remember(String instanceId, long expectedRevision, long revision, String writeId) {
        if (inDoubt.size() >= MAX_REMEMBERED) inDoubt.clear();
        inDoubt.put(instanceId, new Attempt(expectedRevision, revision, writeId));
    }

    /** The write's outcome is known now. */
    void forget(String instanceId) {
        // Almost always empty: a write in doubt is rare, and a remove still hashes and locks.
        if (!inDoubt.isEmpty()) inDoubt.remove(instanceId);
    }

    /** Whether {@code writeId} is the write of this instance whose answer was lost: only then is the document worth reading back. */
    boolean isInDoubt(String instanceId, String writeId) {
        Attempt previous = inDoubt.get(instanceId);
        return previous != null && previous.writeId().equals(writeId);
    }
}
