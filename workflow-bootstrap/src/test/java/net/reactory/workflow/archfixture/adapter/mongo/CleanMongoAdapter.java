package net.reactory.workflow.archfixture.adapter.mongo;

import net.reactory.workflow.archfixture.domain.CleanDomain;

/** Breaks nothing: an adapter using the domain is fine. */
public class CleanMongoAdapter {
    CleanDomain value;
}
