package dev.pyruntime.env;

import dev.pyruntime.UserError;

/**
 * A target's build environment cannot exist on this machine: no container engine works, or its build image is not
 * here. A target the user selected by name fails with this; one included only because every target was selected is
 * skipped with it, as targets of another distro or arch are.
 */
public final class Unavailable extends UserError {
    private static final long serialVersionUID = 1L;

    public Unavailable(String message) {
        super(message);
    }
}
