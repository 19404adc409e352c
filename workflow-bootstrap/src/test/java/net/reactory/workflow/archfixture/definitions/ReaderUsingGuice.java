package net.reactory.workflow.archfixture.definitions;

/** Violates: a library user of the definitions does not get Guice with them. */
public class ReaderUsingGuice {
    com.google.inject.Injector injector;
}
