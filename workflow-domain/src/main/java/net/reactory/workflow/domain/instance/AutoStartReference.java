package net.reactory.workflow.domain.instance;

import net.reactory.workflow.domain.definition.DefinitionKey;

/**
 * The reference of a plain auto-started instance (one with no interval and no cron): at most one is live per
 * definition and version in a cluster, and the store's unique reference is what guarantees it. While the instance
 * is live it carries {@code auto-start:<nameSpace.name@version>}, so a node that initialises meanwhile has its start
 * refused by the store; the transition that finishes it renames the reference to
 * {@code auto-start:<nameSpace.name@version>:finished:<instanceId>}, in the same write, which frees the live one
 * for the next initialisation.
 */
public final class AutoStartReference {

    private static final String PREFIX = "auto-start:";

    private AutoStartReference() {
    }

    /** The reference a live auto-started instance of {@code definition} carries. */
    public static String live(DefinitionKey definition) {
        return PREFIX + definition;
    }

    /** Whether {@code reference} is the live auto-start reference of {@code definition}. */
    public static boolean isLive(String reference, DefinitionKey definition) {
        return reference != null && reference.startsWith(PREFIX) && reference.equals(live(definition));
    }

    /** The reference an instance carries once finished: its own when it is not a live auto-start, else one naming the instance. */
    static String onFinish(String reference, DefinitionKey definition, String instanceId) {
        return isLive(reference, definition) ? reference + ":finished:" + instanceId : reference;
    }
}
