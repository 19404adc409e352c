package net.reactory.workflow.archfixture.application.service;

/** Violates the application's allow-list with a library no deny-list would name: metrics go through a driven port. */
public class ServiceUsingMicrometer {
    io.micrometer.core.instrument.MeterRegistry registry;
}
