package net.reactory.workflow.archfixture.domain;

/** Violates: domain depends only on the JDK. */
public class DomainUsingJackson {
    com.fasterxml.jackson.databind.ObjectMapper mapper;
}
