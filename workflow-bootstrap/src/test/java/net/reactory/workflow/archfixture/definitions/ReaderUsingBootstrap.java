package net.reactory.workflow.archfixture.definitions;

import net.reactory.workflow.archfixture.bootstrap.CleanWiringUsingService;

/** Violates: the definitions library is used by the daemon, never the other way round. */
public class ReaderUsingBootstrap {
    CleanWiringUsingService wiring;
}
