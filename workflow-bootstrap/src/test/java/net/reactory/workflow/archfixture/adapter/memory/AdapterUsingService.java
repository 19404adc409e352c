package net.reactory.workflow.archfixture.adapter.memory;

import net.reactory.workflow.archfixture.application.service.CleanService;

/** Violates: adapters depend on no service nor bootstrap. */
public class AdapterUsingService {
    CleanService service;
}
