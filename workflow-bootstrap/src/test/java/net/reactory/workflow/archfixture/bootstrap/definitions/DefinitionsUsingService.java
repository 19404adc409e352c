package net.reactory.workflow.archfixture.bootstrap.definitions;

import net.reactory.workflow.archfixture.application.service.CleanService;

/** Violates: bootstrap's definition code reaches the application only through port.in. */
public class DefinitionsUsingService {
    CleanService registry;
}
