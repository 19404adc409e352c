package net.reactory.workflow.archfixture.application.service;

/** Violates: only bootstrap touches Guice. */
public class ServiceUsingGuice {
    com.google.inject.Injector injector;
}
