package net.reactory.workflow.adapter.memory;

import java.time.Instant;
import java.util.Comparator;

/** An instance id at a time (its next execution, or its creation), ordered by time then id: the memory store's index keys. */
record TimedId(Instant at, String id) {

    /** By time, then by id; compared by hand, not through a composed {@link Comparator}: these orders sit on the hot path. */
    static final Comparator<TimedId> ORDER = (a, b) -> {
        int byTime = a.at.compareTo(b.at);
        return byTime != 0 ? byTime : a.id.compareTo(b.id);
    };
}
