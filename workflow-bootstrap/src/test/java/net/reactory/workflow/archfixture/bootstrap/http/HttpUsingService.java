package net.reactory.workflow.archfixture.bootstrap.http;

import net.reactory.workflow.archfixture.application.service.CleanService;

/** Violates: bootstrap's HTTP code reaches the application only through port.in. */
public class HttpUsingService {
    CleanService runner;
}
