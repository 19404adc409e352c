package net.reactory.workflow.archfixture.tracing;

import net.reactory.workflow.archfixture.application.service.CleanService;

/** Violates: the tracing module sees the runner only through its interceptors in port.in, never a service. */
public class TracingUsingService {
    CleanService runner;
}
