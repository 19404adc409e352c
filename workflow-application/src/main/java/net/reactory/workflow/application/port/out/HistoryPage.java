package net.reactory.workflow.application.port.out;

import java.util.List;

/**
 * A page of an instance's history, oldest first, as {@link InstanceStore#history} reads it.
 *
 * @param entries  the entries after the revision asked for; all entries of one revision are on the same page
 * @param next     the revision to read after for the following page, or null when this page reaches the newest entry
 * @param dropped  what the store no longer keeps of the oldest entries, beyond its cap per instance
 */
public record HistoryPage(List<HistoryEntry> entries, Long next, Dropped dropped) {

    public HistoryPage {
        entries = List.copyOf(entries);
        dropped = dropped == null ? Dropped.NONE : dropped;
    }

    /**
     * The summary of the oldest entries dropped beyond the cap.
     *
     * @param count         how many entries were dropped
     * @param firstRevision the revision of the oldest dropped entry (0 when none)
     * @param lastRevision  the revision of the newest dropped entry (0 when none); a store that cannot tell exactly gives
     *                      the revision of the oldest entry it kept, which the dropped ones did not pass
     */
    public record Dropped(long count, long firstRevision, long lastRevision) {
        public static final Dropped NONE = new Dropped(0, 0, 0);
    }
}
