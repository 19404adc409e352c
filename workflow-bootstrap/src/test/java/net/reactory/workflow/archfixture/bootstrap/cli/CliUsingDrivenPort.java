package net.reactory.workflow.archfixture.bootstrap.cli;

import net.reactory.workflow.archfixture.application.port.out.CleanDrivenPort;

/** Violates: bootstrap's CLI reaches the application only through port.in, not around it to a driven port. */
public class CliUsingDrivenPort {
    CleanDrivenPort audit;
}
