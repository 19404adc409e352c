package net.reactory.workflow.adapter.memory.scenario;

import java.time.InstantSource;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.scenario.LanguageScenarios;

/** The workflow-core scenarios of issue 15, unchanged, on the memory stores. */
class MemoryLanguageScenariosTest extends LanguageScenarios {

    @Override
    protected InstanceStore newStore(InstantSource clock) {
        return new MemoryInstanceStore();
    }

    @Override
    protected EventStore newEventStore() {
        return new MemoryEventStore();
    }
}
