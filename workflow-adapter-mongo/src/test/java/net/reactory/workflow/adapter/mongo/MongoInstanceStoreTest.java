package net.reactory.workflow.adapter.mongo;

import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.InstanceStoreContract;

/** The store contract, unchanged, on MongoDB (in-process, or real with {@code WORKFLOW_TEST_MONGO_URI}). */
class MongoInstanceStoreTest extends InstanceStoreContract {

    @Override
    protected InstanceStore newStore() {
        return new MongoInstanceStore(TestMongo.freshDatabase()).createIndexes();
    }

    @Override
    protected InstanceStore newStore(int historyLimit) {
        return new MongoInstanceStore(TestMongo.freshDatabase(), new BsonData(), java.time.Duration.ofSeconds(10),
                java.time.InstantSource.system(), historyLimit).createIndexes();
    }

    /**
     * 10,000 on a real MongoDB. The in-process server has no secondary indexes (it ignores them with a warning),
     * so every claim batch scans and sorts all due documents: the race costs O(n^2) there, 61 s at 10,000
     * on two cores, against about 3 s at 2,000, which still races two claimers over many batches.
     */
    @Override
    protected int racingInstanceCount() {
        return TestMongo.realUri() != null ? 10_000 : 2_000;
    }
}
