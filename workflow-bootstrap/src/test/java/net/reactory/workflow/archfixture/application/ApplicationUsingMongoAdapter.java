package net.reactory.workflow.archfixture.application;

import net.reactory.workflow.archfixture.adapter.mongo.CleanMongoAdapter;

/** Violates: application depends on no adapter, bootstrap or driver. */
public class ApplicationUsingMongoAdapter {
    CleanMongoAdapter store;
}
