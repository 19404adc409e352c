package net.reactory.workflow.archfixture.application.port;

import net.reactory.workflow.archfixture.application.service.CleanService;

/** Violates: ports depend on no service. */
public interface PortUsingService {
    CleanService service();
}
