package net.reactory.workflow.bootstrap.http;

/**
 * One component's state for {@code /health/ready}. Bound into a Guice set
 * ({@code Multibinder.newSetBinder(binder(), HealthIndicator.class)}) by whichever module owns the component.
 */
public interface HealthIndicator {

    enum Status { UP, DEGRADED, DOWN }

    record Check(Status status, String detail) {
    }

    /** The component's name in the readiness response: "store", "broker", "breakers", ... */
    String name();

    /** Must be quick and must not throw. */
    Check check();
}
