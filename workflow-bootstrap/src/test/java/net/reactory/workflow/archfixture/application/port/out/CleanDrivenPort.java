package net.reactory.workflow.archfixture.application.port.out;

import net.reactory.workflow.archfixture.domain.CleanDomain;

/** Breaks nothing: a driven port speaks the domain. */
public interface CleanDrivenPort {
    void save(CleanDomain value);
}
