package net.reactory.workflow.archfixture.adapter.mongo;

import java.util.Date;

/** Violates: the time comes only from the injected InstantSource. */
public class AdapterConstructingDate {
    Date stamp() {
        return new Date();
    }
}
