package net.reactory.workflow.archfixture.application;

import net.reactory.workflow.archfixture.adapter.mongo.MongoThing;

/** Violates: application depends on no adapter, bootstrap or driver. */
public class ApplicationUsingMongoAdapter {
    MongoThing store;
}
