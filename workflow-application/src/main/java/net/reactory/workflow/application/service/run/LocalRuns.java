package net.reactory.workflow.application.service.run;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.definition.DefinitionRegistry;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The instances this node runs, and the only owner of what it holds of them. A run needs a {@link Reservation},
 * taken before the lease is (so two paths never run one instance here at once) and closed when the run ends,
 * with try-with-resources. {@link #runHere} is the one entry into a run: a start, a claim, the poller and
 * event delivery all go through it.
 */
public final class LocalRuns {

    private static final Logger log = LoggerFactory.getLogger(LocalRuns.class);

    private final Map<String, Reservation> held = new ConcurrentHashMap<>();
    private final RunnerConfig config;
    private final InstanceStore store;
    private final WorkSignal workSignal;
    private final DefinitionRegistry registry;
    private final RunnerPhase phase;
    private final RunnerThreads threads;
    private final InstantSource clock;
    private final RunnerMetrics metrics;
    private final InstanceRun instanceRun;

    public LocalRuns(RunnerConfig config, InstanceStore store, WorkSignal workSignal, DefinitionRegistry registry, RunnerPhase phase,
              RunnerThreads threads, InstantSource clock, RunnerMetrics metrics, InstanceRun instanceRun) {
        this.config = config;
        this.store = store;
        this.workSignal = workSignal;
        this.registry = registry;
        this.phase = phase;
        this.threads = threads;
        this.clock = clock;
        this.metrics = metrics;
        this.instanceRun = instanceRun;
    }

    /**
     * This node's place for one instance, and what it holds of it: the revision it saved last and the end of
     * its lease, which {@link #renewLeases} keeps. Closing it gives the place up; closing it twice does nothing.
     */
    public final class Reservation implements AutoCloseable {
        private final String instanceId;
        private volatile long revision;
        private volatile Instant leaseUntil;

        private Reservation(String instanceId) {
            this.instanceId = instanceId;
        }

        /** The instance is stored as {@code saved}: renewals go on from its revision and lease. */
        public void hold(WorkflowInstance saved) {
            revision = saved.revision();
            leaseUntil = saved.lease() == null ? null : saved.lease().until();
        }

        /**
         * Passes the place to another thread: this reservation's close does nothing any more, the one returned
         * owns the place. For a thread that reserves, saves with the lease, and lets a new thread run.
         */
        public Reservation handOff() {
            Reservation next = new Reservation(instanceId);
            next.revision = revision;
            next.leaseUntil = leaseUntil;
            held.replace(instanceId, this, next);
            return next;
        }

        /** Hands back the store lease of {@code leased} (best effort), so another node or the next start continues at once. */
        public void handBack(WorkflowInstance leased) {
            releaseQuietly(leased);
        }

        /** As {@link #handBack}, for the instance as this reservation last {@link #hold held} it: its revision and lease. */
        public void handBackHeld() {
            Instant until = leaseUntil;
            if (until != null) releaseQuietly(instanceId, revision, until);
        }

        @Override
        public void close() {
            held.remove(instanceId, this);
        }
    }

    /** A place for the instance, or null when this node runs it already or is stopping. */
    public Reservation reserve(String instanceId) {
        if (!phase.isRunning()) return null;
        Reservation reservation = new Reservation(instanceId);
        return held.putIfAbsent(instanceId, reservation) == null ? reservation : null;
    }

    /** The lease this node takes from {@code now}. */
    public Lease leaseFrom(Instant now) {
        return new Lease(config.nodeId(), now.plus(config.leaseDuration()));
    }

    public boolean holds(String instanceId) {
        return held.containsKey(instanceId);
    }

    public int count() {
        return held.size();
    }

    /** The one entry into a run: runs {@code leased} on this thread while this node holds it, then gives up the place. */
    public void runHere(Reservation reservation, WorkflowInstance leased) {
        boolean lost;
        try (reservation) {
            WorkflowDefinition definition = registry.find(leased.definition());
            if (definition == null) {
                log.warn("instance {} runs on {}, which this node does not know: handing it back", leased.id(), leased.definition());
                releaseLease(leased);
                return;
            }
            lost = instanceRun.run(leased, definition, reservation);
        }
        // A stale run may have lost to this node's own poller (its lease ran out mid-run), which then handed the
        // claim back: look once more, so the instance does not wait for the next poll. A claim that fails is cheap.
        if (lost) claimAndRun(leased.id());
    }

    /** As {@link #runHere}, on a new virtual thread; when the runner stops instead, the lease is handed back. */
    public void run(Reservation reservation, WorkflowInstance leased) {
        if (!threads.tryExecute(() -> runHere(reservation, leased))) {
            try (reservation) {
                releaseQuietly(leased);
            }
        }
    }

    /** Claims the instance through the store and runs it, unless this node runs it already. */
    public void claimAndRun(String instanceId) {
        if (!phase.isRunning() || held.containsKey(instanceId)) return;
        threads.tryExecute(() -> {
            try (Reservation reservation = reserve(instanceId)) {
                if (reservation == null) return;
                Optional<WorkflowInstance> claimed = claim(instanceId);
                if (claimed.isPresent()) runHere(reservation, claimed.get());
            }
        });
    }

    private Optional<WorkflowInstance> claim(String instanceId) {
        try {
            Instant now = clock.instant();
            Optional<WorkflowInstance> claimed = store.claim(instanceId, config.nodeId(), now, now.plus(config.leaseDuration()));
            if (claimed.isPresent()) metrics.leaseClaimed(1);
            return claimed;
        } catch (RuntimeException e) {
            metrics.storeError();
            log.warn("could not claim signalled instance {}: {}", instanceId, e.toString());
            return Optional.empty();
        }
    }

    /** A claim this node cannot run (it runs the instance already): its lease goes back at once, not when it expires. */
    public void decline(WorkflowInstance claimed) {
        releaseQuietly(claimed);
    }

    /**
     * Keeps the leases of instances whose step runs long: a lease that would end within half its duration is
     * extended, without raising the revision, so the run's next save still matches. A renewal that fails means
     * another node took the instance over; the run's save then fails too.
     */
    public int renewLeases() {
        if (!phase.isRunning()) return 0;
        Instant now = clock.instant();
        Instant soon = now.plus(config.leaseDuration().dividedBy(2));
        int renewed = 0;
        for (Reservation r : held.values()) {
            Instant until = r.leaseUntil;
            if (until == null || until.isAfter(soon)) continue;
            Instant newUntil = now.plus(config.leaseDuration());
            try {
                if (store.renewLease(r.instanceId, config.nodeId(), r.revision, newUntil)) {
                    r.leaseUntil = newUntil;
                    renewed++;
                } else {
                    log.info("lease of instance {} could not be renewed: another node has taken it over or it changed", r.instanceId);
                    r.leaseUntil = null;
                }
            } catch (RuntimeException e) {
                // One failed renewal must not cost the others theirs; this one is tried again next time.
                metrics.storeError();
                log.warn("lease of instance {} could not be renewed now (it ends at {}): {}", r.instanceId, until, e.toString());
            }
        }
        return renewed;
    }

    private void releaseLease(WorkflowInstance leased) {
        try {
            store.releaseLease(leased.id(), config.nodeId(), leased.revision());
        } catch (RuntimeException e) {
            log.warn("could not hand back the lease of instance {}; it expires: {}", leased.id(), e.toString());
        }
    }

    private void releaseQuietly(WorkflowInstance leased) {
        if (leased.lease() != null) releaseQuietly(leased.id(), leased.revision(), leased.lease().until());
    }

    private void releaseQuietly(String instanceId, long revision, Instant until) {
        try {
            if (store.releaseLease(instanceId, config.nodeId(), revision)) workSignal.signal(instanceId);
        } catch (RuntimeException e) {
            log.warn("could not hand back the lease of instance {}; it expires at {}: {}", instanceId, until, e.toString());
        }
    }
}
