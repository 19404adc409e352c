package net.reactory.workflow.adapter.memory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;

/** Keeps the newest entries in memory, up to a capacity, so a long-running daemon does not grow without bound. */
public final class MemoryAuditLog implements AuditLog {

    private final int capacity;
    private final Deque<AuditEntry> entries = new ArrayDeque<>();

    public MemoryAuditLog() {
        this(100_000);
    }

    public MemoryAuditLog(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        this.capacity = capacity;
    }

    /** How many entries were ever recorded, the dropped ones included: numbers each entry for a move elsewhere. */
    private long recorded;

    @Override
    public synchronized void record(AuditEntry entry) {
        if (entries.size() == capacity) entries.removeFirst();
        entries.addLast(entry);
        recorded++;
    }

    /** An entry with its number in recording order (0 for the first ever recorded), which stays the same while the log lives. */
    public record Numbered(long number, AuditEntry entry) {
    }

    /** The entries kept, oldest first, each with its number: what a move to another log copies, idempotently by number. */
    public synchronized List<Numbered> numbered() {
        List<Numbered> out = new ArrayList<>(entries.size());
        long number = recorded - entries.size();
        for (AuditEntry e : entries) out.add(new Numbered(number++, e));
        return out;
    }

    @Override
    public synchronized List<AuditEntry> recent(int limit) {
        List<AuditEntry> out = new ArrayList<>(Math.min(limit, entries.size()));
        Iterator<AuditEntry> newestFirst = entries.descendingIterator();
        while (newestFirst.hasNext() && out.size() < limit) out.add(newestFirst.next());
        return out;
    }
}
