package dev.rota.model;

/** A run was asked to move between two states that {@link RunState} does not connect. */
public final class IllegalRunTransitionException extends IllegalStateException {
    private final RunState from;
    private final RunState to;

    public IllegalRunTransitionException(RunState from, RunState to) {
        super("illegal run transition " + from + " -> " + to);
        this.from = from;
        this.to = to;
    }

    public RunState from() {
        return from;
    }

    public RunState to() {
        return to;
    }
}
