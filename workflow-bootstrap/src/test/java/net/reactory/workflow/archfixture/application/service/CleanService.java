package net.reactory.workflow.archfixture.application.service;

/** Breaks nothing. */
public class CleanService {
}
