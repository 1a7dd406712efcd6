package dev.pyruntime.manifest;

/**
 * A rule that changes the plan of the targets its selector matches, or excludes them.
 *
 * @param index   position in the manifest's {@code overrides} list
 * @param at      where it is declared
 * @param when    which targets it applies to
 * @param exclude whether matching targets are dropped
 * @param reason  the manifest's note on why, or null
 * @param adjust  what it changes
 */
public record OverrideRule(int index, Location at, Selector when, boolean exclude, String reason, Adjustment adjust) {

    /** How plans and logs name this override: {@code overrides[2] (python.yaml:57)}. */
    public String label(String fileName) {
        return "overrides[" + index + "] (" + fileName + ":" + at.line() + ")";
    }
}
