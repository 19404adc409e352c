package net.reactory.workflow.archfixture.application.service;

/** Violates: the time comes only from the injected InstantSource. */
public class ServiceCallingCurrentTimeMillis {
    long now() {
        return System.currentTimeMillis();
    }
}
