package net.reactory.workflow.archfixture.definitions;

import net.reactory.workflow.archfixture.adapter.mongo.CleanMongoAdapter;

/** Violates: the definitions library names no store or broker adapter. */
public class ReaderUsingAdapter {
    CleanMongoAdapter store;
}
