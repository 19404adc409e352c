package net.reactory.workflow.application.port.in;

import java.time.Instant;

/**
 * The instants the edges accept from outside ({@code effectiveAt}, the {@code from}/{@code to} filters): the
 * years 0000 to 9999 of ISO-8601's four-digit form. Every store holds them (a BSON date counts milliseconds in
 * a long, which {@code Instant}'s own ±1,000,000,000 years overflow), so a value is refused the same way
 * whichever store runs, with the field named, instead of failing inside one store.
 */
public final class InstantRange {

    public static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private InstantRange() {
    }

    public static boolean contains(Instant at) {
        return at != null && !at.isBefore(MIN) && !at.isAfter(MAX);
    }

    /** For a refusal: "0000-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z". */
    public static String describe() {
        return MIN + " to " + MAX;
    }
}
