package net.reactory.workflow.bootstrap.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/**
 * The change events this node saw, per instance, in memory and bounded: the last {@code perInstance}
 * events of the last {@code instances} instances. The stores keep no history of change events, so this is
 * what {@code GET /api/v1/instances/{id}} can show; it is lost on restart and does not see other nodes' work.
 */
public final class EventHistory implements LifecycleEventPublisher {

    private final int instances;
    private final int perInstance;
    private final Map<String, Deque<WorkflowEvent>> byInstance = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();

    public EventHistory(int instances, int perInstance) {
        this.instances = instances;
        this.perInstance = perInstance;
    }

    @Override
    public void publish(List<WorkflowEvent> events) {
        for (WorkflowEvent event : events) {
            Deque<WorkflowEvent> deque = byInstance.get(event.instanceId());
            if (deque == null) {
                Deque<WorkflowEvent> fresh = new ArrayDeque<>();
                deque = byInstance.putIfAbsent(event.instanceId(), fresh);
                if (deque == null) {
                    deque = fresh;
                    order.add(event.instanceId());
                    if (size.incrementAndGet() > instances) evictOldest();
                }
            }
            synchronized (deque) {
                deque.addLast(event);
                if (deque.size() > perInstance) deque.removeFirst();
            }
        }
    }

    private void evictOldest() {
        String oldest = order.poll();
        if (oldest != null && byInstance.remove(oldest) != null) size.decrementAndGet();
    }

    public int capacity() {
        return instances;
    }

    public int perInstance() {
        return perInstance;
    }

    /** The events seen for the instance, oldest first; empty when none is kept. */
    public List<WorkflowEvent> of(String instanceId) {
        Deque<WorkflowEvent> deque = byInstance.get(instanceId);
        if (deque == null) return List.of();
        synchronized (deque) {
            return new ArrayList<>(deque);
        }
    }
}
