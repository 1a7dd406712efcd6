package dev.pyruntime;

/**
 * A mistake the user can fix (a bad manifest, a selection that matches nothing, a missing tool). The message says
 * what is wrong and how to fix it; the Maven layer shows it without a stack trace.
 */
public class UserError extends Exception {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
