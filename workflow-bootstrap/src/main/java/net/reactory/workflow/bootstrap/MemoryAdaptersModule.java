package net.reactory.workflow.bootstrap;

import java.time.Duration;

import com.google.inject.AbstractModule;

import net.reactory.workflow.adapter.memory.InProcessWorkSignal;
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryAuditLog;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.WorkSignal;

/** The embedded default: everything in this process's memory, finished work (and its history) purged after {@code retention}. */
final class MemoryAdaptersModule extends AbstractModule {

    private final Duration retention;
    private final int historyLimit;

    MemoryAdaptersModule(Duration retention, int historyLimit) {
        this.retention = retention;
        this.historyLimit = historyLimit;
    }

    @Override
    protected void configure() {
        bind(InstanceStore.class).toInstance(new MemoryInstanceStore(retention, historyLimit));
        bind(WorkSignal.class).toInstance(new InProcessWorkSignal());
        bind(AuditLog.class).toInstance(new MemoryAuditLog());
        bind(EventStore.class).toInstance(new MemoryEventStore(retention));
    }
}
