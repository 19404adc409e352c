package net.reactory.workflow.application.service;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * Builds a runner in plain Java, no dependency injection needed. The instance store and the event store are
 * required (the application ships no adapter: for one process, the memory adapter's {@code MemoryInstanceStore}
 * and {@code MemoryEventStore}); without a work signal the node relies on its own poller, which suits a single node.
 */
public final class WorkflowRunnerBuilder {

    private RunnerConfig config = RunnerConfig.defaults();
    private InstanceStore store;
    private WorkSignal workSignal = LocalOnlyWorkSignal.INSTANCE;
    private final List<LifecycleEventPublisher> publishers = new ArrayList<>();
    private AuditLog audit = NoAuditLog.INSTANCE;
    private RunnerMetrics metrics = RunnerMetrics.NONE;
    private InstantSource clock = InstantSource.system();
    private EventStore events;
    private final List<Workflow> workflows = new ArrayList<>();
    private final List<WorkflowInterceptor> interceptors = new ArrayList<>();

    WorkflowRunnerBuilder() {
    }

    public WorkflowRunnerBuilder config(RunnerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return this;
    }

    public WorkflowRunnerBuilder store(InstanceStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return this;
    }

    public WorkflowRunnerBuilder workSignal(WorkSignal workSignal) {
        this.workSignal = Objects.requireNonNull(workSignal, "workSignal");
        return this;
    }

    /** Adds a publisher of lifecycle events; several may be added. */
    public WorkflowRunnerBuilder publisher(LifecycleEventPublisher publisher) {
        publishers.add(Objects.requireNonNull(publisher, "publisher"));
        return this;
    }

    /** Adds an in-process listener of lifecycle events, one call per event. */
    public WorkflowRunnerBuilder listener(Consumer<WorkflowEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        return publisher(events -> events.forEach(listener));
    }

    public WorkflowRunnerBuilder auditLog(AuditLog audit) {
        this.audit = Objects.requireNonNull(audit, "audit");
        return this;
    }

    public WorkflowRunnerBuilder metrics(RunnerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /** Where external events and the waits for them are kept; required. */
    public WorkflowRunnerBuilder eventStore(EventStore events) {
        this.events = Objects.requireNonNull(events, "events");
        return this;
    }

    public WorkflowRunnerBuilder clock(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Adds an interceptor, called around each step attempt and at each workflow's start and end; several form a chain,
     * the first added outermost. See {@link WorkflowInterceptor}.
     */
    public WorkflowRunnerBuilder interceptor(WorkflowInterceptor interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /** A workflow the runner holds from the start; validated by {@link #build()}. */
    public WorkflowRunnerBuilder workflow(Workflow workflow) {
        workflows.add(Objects.requireNonNull(workflow, "workflow"));
        return this;
    }

    public WorkflowRunnerBuilder workflows(List<Workflow> more) {
        more.forEach(this::workflow);
        return this;
    }

    /** @throws net.reactory.workflow.domain.definition.InvalidWorkflowException when a given workflow is invalid */
    public WorkflowRunnerService build() {
        if (store == null) throw new IllegalStateException("a runner needs an instance store: call store(...)");
        if (events == null) {
            throw new IllegalStateException("a runner needs an event store: call eventStore(...), for one process with new MemoryEventStore() "
                    + "of workflow-adapter-memory");
        }
        LifecycleEventPublisher publisher = switch (publishers.size()) {
            case 0 -> LifecycleEventPublisher.NONE;
            case 1 -> publishers.get(0);
            default -> new EveryPublisher(List.copyOf(publishers));
        };
        return new WorkflowRunnerService(config, store, workSignal, publisher, audit, metrics, clock, workflows, events,
                List.copyOf(interceptors));
    }

    /** Several publishers: each is given every event (and its trace context), the first failure thrown after all were tried. */
    private record EveryPublisher(List<LifecycleEventPublisher> all) implements LifecycleEventPublisher {

        @Override
        public void publish(List<WorkflowEvent> events) {
            publish(events, java.util.Map.of());
        }

        @Override
        public void publish(List<WorkflowEvent> events, java.util.Map<String, String> traceContext) {
            RuntimeException first = null;
            for (LifecycleEventPublisher p : all) {
                try {
                    LifecycleEventPublisher.publishTo(p, events, traceContext);
                } catch (RuntimeException e) {
                    if (first == null) first = e;
                }
            }
            if (first != null) throw first;
        }
    }

    /** Signals go nowhere: the node that makes an instance runnable also finds it through its poller. */
    private enum LocalOnlyWorkSignal implements WorkSignal {
        INSTANCE;

        @Override
        public void signal(String instanceId) {
        }

        @Override
        public AutoCloseable subscribe(Consumer<String> onRunnable) {
            return () -> { };
        }
    }

    private enum NoAuditLog implements AuditLog {
        INSTANCE;

        @Override
        public void record(AuditEntry entry) {
        }

        @Override
        public List<AuditEntry> recent(int limit) {
            return List.of();
        }
    }
}
