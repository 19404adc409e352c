package net.reactory.workflow.archfixture.adapter.mongo;

import net.reactory.workflow.archfixture.domain.CleanDomain;

/** Breaks nothing itself: an adapter using the domain is fine. */
public class MongoThing {
    CleanDomain value;
}
