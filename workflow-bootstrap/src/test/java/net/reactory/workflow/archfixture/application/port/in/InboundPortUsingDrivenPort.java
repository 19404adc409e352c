package net.reactory.workflow.archfixture.application.port.in;

import net.reactory.workflow.archfixture.application.port.out.CleanDrivenPort;

/** Violates: inbound ports depend on no driven port. */
public interface InboundPortUsingDrivenPort {
    CleanDrivenPort store();
}
