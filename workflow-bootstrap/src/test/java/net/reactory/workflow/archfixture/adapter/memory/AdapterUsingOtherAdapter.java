package net.reactory.workflow.archfixture.adapter.memory;

import net.reactory.workflow.archfixture.adapter.mongo.MongoThing;

/** Violates: adapters depend on no other adapter. */
public class AdapterUsingOtherAdapter {
    MongoThing other;
}
