package dev.pyruntime.plan;

/**
 * A selected target and whether this run plans it.
 *
 * @param target the target
 * @param state  planned, skipped (this machine cannot build it) or excluded (by the manifest)
 * @param reason why it is skipped or excluded; empty when planned
 */
public record TargetStatus(Target target, State state, String reason) {

    /** What happens to a target in this run. */
    public enum State { PLANNED, SKIPPED, EXCLUDED }

    public boolean planned() {
        return state == State.PLANNED;
    }
}
