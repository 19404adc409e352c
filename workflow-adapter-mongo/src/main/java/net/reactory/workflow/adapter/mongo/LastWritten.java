package net.reactory.workflow.adapter.mongo;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The fields this process last wrote for each instance it runs, at the revision they were written at, so that the
 * next save can send only what changed ({@link InstanceUpdates#save}). An entry is trusted only for the exact revision
 * the save expects, and is dropped by any other change of the document this process makes (a lease renewal or release
 * changes fields without a new revision); a document changed elsewhere has a new revision, so the entry no longer
 * matches and the save sends every field, as it would without this memory.
 */
final class LastWritten {

    /** Abandoned entries (instances that stopped here and never finished) must not grow without bound. */
    private static final int MAX_REMEMBERED = 100_000;

    private record Written(long revision, InstanceFields.Written fields) {
    }

    private final Map<String, Written> written = new ConcurrentHashMap<>();

    /** The fields written at {@code revision}, if this process wrote them and nothing it did changed them since. */
    InstanceFields.Written at(String instanceId, long revision) {
        Written w = written.get(instanceId);
        return w != null && w.revision() == revision ? w.fields() : null;
    }

    /** {@code fields} landed at {@code revision}; they must not be changed afterwards. */
    void remember(String instanceId, long revision, InstanceFields.Written fields) {
        if (written.size() >= MAX_REMEMBERED) written.clear();
        written.put(instanceId, new Written(revision, fields));
    }

    void forget(String instanceId) {
        written.remove(instanceId);
    }
}
