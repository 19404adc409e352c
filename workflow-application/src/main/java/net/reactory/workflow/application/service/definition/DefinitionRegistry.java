package net.reactory.workflow.application.service.definition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import net.reactory.workflow.application.port.in.DuplicateWorkflowException;
import net.reactory.workflow.application.port.in.WorkflowNotFoundException;
import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.definition.SemanticVersion;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.definition.WorkflowRef;

/** The registered definitions, several versions per workflow id side by side. */
public final class DefinitionRegistry {

    private final Map<WorkflowId, NavigableMap<SemanticVersion, WorkflowDefinition>> byId = new ConcurrentHashMap<>();
    private final Map<DefinitionKey, WorkflowDefinition> byKey = new ConcurrentHashMap<>();
    /**
     * The same, by the key object itself (copied on each registration): an instance made on this node carries its
     * definition's very key, and a run's look-up then hashes no record (the key's hash is its id's and version's, worked
     * out again on every call). An instance read back from a store has a key of its own and goes to {@code byKey}.
     */
    private volatile Map<DefinitionKey, WorkflowDefinition> byKeyObject = new IdentityHashMap<>();
    private final List<Workflow> inOrder = Collections.synchronizedList(new ArrayList<>());
    /** Plain ids as callers write them, parsed; only ids that resolved are kept, so the map stays small. */
    private final Map<String, WorkflowId> parsedIds = new ConcurrentHashMap<>();

    /** Compiles and adds a workflow; throws on an invalid workflow or a duplicate id and version. */
    public WorkflowDefinition register(Workflow workflow) {
        WorkflowDefinition definition = WorkflowDefinition.compile(workflow);
        if (byKey.putIfAbsent(definition.key(), definition) != null) {
            throw new DuplicateWorkflowException(definition.key().toString());
        }
        synchronized (byKey) { // registrations copy one after the other, so none is lost from the identity map
            Map<DefinitionKey, WorkflowDefinition> copy = new IdentityHashMap<>(byKeyObject);
            copy.put(definition.key(), definition);
            byKeyObject = copy;
        }
        byId.computeIfAbsent(definition.key().id(), id -> new ConcurrentSkipListMap<>())
                .put(definition.key().version(), definition);
        inOrder.add(workflow);
        return definition;
    }

    /**
     * The definition a start names: {@code id} ({@code nameSpace.name} or {@code nameSpace.name@version}) at
     * {@code version}, or the newest. The parse of a registered plain id is remembered (it never changes),
     * so the hot path of {@code startWorkflow} parses nothing.
     */
    public WorkflowDefinition resolve(String id, String version) {
        if (version == null || version.isBlank()) {
            WorkflowId known = parsedIds.get(id);
            if (known != null) return resolve(new WorkflowRef(known, null));
            WorkflowRef ref = WorkflowRef.of(id, version);
            WorkflowDefinition definition = resolve(ref);
            if (ref.version() == null) parsedIds.putIfAbsent(id, ref.id());
            return definition;
        }
        return resolve(WorkflowRef.of(id, version));
    }

    /** The definition at the ref's version, or the newest when it names none. */
    public WorkflowDefinition resolve(WorkflowRef ref) {
        NavigableMap<SemanticVersion, WorkflowDefinition> versions = byId.get(ref.id());
        if (versions == null || versions.isEmpty()) {
            throw new WorkflowNotFoundException(ref.toString(), null);
        }
        if (ref.version() == null) {
            return versions.lastEntry().getValue();
        }
        WorkflowDefinition definition = versions.get(ref.version());
        if (definition == null) {
            throw new WorkflowNotFoundException(ref.toString(), "registered versions are " + versions.keySet());
        }
        return definition;
    }

    /** The definition an instance runs on, or null when this node does not know it. */
    public WorkflowDefinition find(DefinitionKey key) {
        WorkflowDefinition made = byKeyObject.get(key);
        return made != null ? made : byKey.get(key);
    }

    public List<WorkflowDefinition> definitions() {
        List<WorkflowDefinition> out = new ArrayList<>();
        synchronized (inOrder) {
            for (Workflow w : inOrder) {
                out.add(byKey.get(DefinitionKey.of(w.nameSpace(), w.name(), w.version())));
            }
        }
        return List.copyOf(out);
    }

    public List<Workflow> workflows() {
        synchronized (inOrder) {
            return List.copyOf(inOrder);
        }
    }
}
