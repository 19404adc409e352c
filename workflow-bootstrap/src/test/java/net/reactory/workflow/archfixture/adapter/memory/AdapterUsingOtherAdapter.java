package net.reactory.workflow.archfixture.adapter.memory;

import net.reactory.workflow.archfixture.adapter.mongo.CleanMongoAdapter;

/** Violates: adapters depend on no other adapter. */
public class AdapterUsingOtherAdapter {
    CleanMongoAdapter other;
}
