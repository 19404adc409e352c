package net.reactory.workflow.archfixture.definitions;

import com.fasterxml.jackson.databind.JsonNode;

import net.reactory.workflow.archfixture.application.port.in.CleanInboundPort;
import net.reactory.workflow.archfixture.domain.CleanDomain;

/** Breaks nothing: the definitions library reads documents with Jackson into the domain, and speaks to inbound ports. */
public class CleanDefinitionsReader {
    CleanInboundPort runner;
    CleanDomain read(JsonNode node) {
        return runner.find(node.asText());
    }
}
