package net.reactory.workflow.bootstrap.bench;

import net.reactory.workflow.application.port.out.InstanceStore;

/** Opens the Mongo store for {@code --store mongo}. */
final class MongoBenchStore {

    private MongoBenchStore() {
    }

    static InstanceStore open(String uri) {
        throw new BenchOptions.UsageException("--store mongo needs the MongoDB adapter, not wired into the benchmark yet");
    }
}
