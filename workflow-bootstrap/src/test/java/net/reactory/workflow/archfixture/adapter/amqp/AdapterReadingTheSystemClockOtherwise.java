package net.reactory.workflow.archfixture.adapter.amqp;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.function.Supplier;

/** Violates, once per nested class: the other ways of reading the wall clock behind the InstantSource's back. */
public class AdapterReadingTheSystemClockOtherwise {

    public static class ReferencesInstantNow {
        Supplier<Instant> clock = Instant::now;
    }

    public static class CallsLocalDateTimeNow {
        LocalDateTime now() {
            return LocalDateTime.now();
        }
    }

    public static class CallsZonedDateTimeNowInAZone {
        ZonedDateTime now() {
            return ZonedDateTime.now(ZoneOffset.UTC);
        }
    }

    public static class CallsClockSystemUtc {
        Clock clock = Clock.systemUTC();
    }

    public static class ConstructsDateOfNow {
        Date at() {
            return new Date();
        }
    }
}
