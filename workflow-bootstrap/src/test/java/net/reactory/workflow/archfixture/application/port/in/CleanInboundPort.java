package net.reactory.workflow.archfixture.application.port.in;

import net.reactory.workflow.archfixture.domain.CleanDomain;

/** Breaks nothing: an inbound port speaks the domain. */
public interface CleanInboundPort {
    CleanDomain find(String name);
}
