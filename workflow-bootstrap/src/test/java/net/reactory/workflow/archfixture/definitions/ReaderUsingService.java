package net.reactory.workflow.archfixture.definitions;

import net.reactory.workflow.archfixture.application.service.CleanService;

/** Violates: the definitions library reaches the application only through port.in. */
public class ReaderUsingService {
    CleanService service;
}
