package net.reactory.workflow.application.port.in;

/** A call that needs an initialized runner came before {@code initialize()} or after {@code stop()}. */
public final class RunnerNotInitializedException extends IllegalStateException {

    public RunnerNotInitializedException(String call) {
        super(call + " needs an initialized runner: call initialize() first (and not after stop())");
    }
}
