package net.reactory.workflow.archfixture.bootstrap.http;

import net.reactory.workflow.archfixture.application.port.in.CleanInboundPort;
import net.reactory.workflow.archfixture.domain.CleanDomain;

/** Breaks nothing: the HTTP code calls the inbound port and may speak the domain. */
public class CleanHttpUsingInboundPort {
    CleanInboundPort runner;

    CleanDomain get(String name) {
        return runner.find(name);
    }
}
