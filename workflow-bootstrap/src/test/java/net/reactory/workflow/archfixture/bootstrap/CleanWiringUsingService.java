package net.reactory.workflow.archfixture.bootstrap;

import net.reactory.workflow.archfixture.application.port.out.CleanDrivenPort;
import net.reactory.workflow.archfixture.application.service.CleanService;

/** Breaks nothing: the composition root outside http, cli and definitions wires services and driven ports. */
public class CleanWiringUsingService {
    CleanService service;
    CleanDrivenPort store;
}
