package net.reactory.workflow.application.service.events;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Word of work still to do after a save, left in the event store before the save so that no crash in between
 * loses it. A marker names an instance and the revision of the save it precedes, and is a pending event on its own
 * name; once the work is done it is marked delivered, and until then any node's poller can find it and finish the
 * work. The event store is the natural home: it is shared by every node, its pending events are found by name
 * without a scan, and marking one delivered is atomic.
 */
final class PendingMarkers {

    private static final Logger log = LoggerFactory.getLogger(PendingMarkers.class);
    private static final String KEY = "pending";

    /** One marker: the instance and the revision of the save it was left before. */
    record Marker(String id, long revision, String instanceId) {
    }

    private final String name;
    private final String idPrefix;
    private final EventStore events;
    private final InstantSource clock;

    PendingMarkers(String name, String idPrefix, EventStore events, InstantSource clock) {
        this.name = name;
        this.idPrefix = idPrefix;
        this.events = events;
        this.clock = clock;
    }

    /** Leaves a marker before {@code toSave} is saved (a marker left twice is one marker). */
    void leave(WorkflowInstance toSave) {
        Instant now = clock.instant();
        events.append(new PublishedEvent(idOf(toSave), name, KEY, null, now, now));
    }

    /** The markers still pending; an unreadable one is settled at once, since nothing could act on it. */
    List<Marker> pending() {
        List<Marker> markers = new ArrayList<>();
        for (PublishedEvent event : events.pendingEvents(name, KEY, null)) {
            Marker marker = parse(event.id());
            if (marker == null) {
                done(event.id());
            } else {
                markers.add(marker);
            }
        }
        return markers;
    }

    String idOf(WorkflowInstance instance) {
        return idPrefix + instance.revision() + ":" + instance.id();
    }

    /** Settles a marker; a failure is harmless, as the poller then does the (idempotent) work once more. */
    void done(String markerId) {
        try {
            events.markDelivered(markerId);
        } catch (RuntimeException e) {
            log.debug("marker {} done but not marked: the poller does its work again, to no effect: {}", markerId, e.toString());
        }
    }

    private Marker parse(String id) {
        if (!id.startsWith(idPrefix)) return null;
        int colon = id.indexOf(':', idPrefix.length());
        if (colon < 0) return null;
        String revision = id.substring(idPrefix.length(), colon);
        if (revision.isEmpty() || revision.length() > 18 || !revision.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
        return new Marker(id, Long.parseLong(revision), id.substring(colon + 1));
    }
}
