package dev.pyruntime.sign;

/** A detached signature that does not prove the file came from the pinned key; the message says why. */
public final class BadSignature extends Exception {
    private static final long serialVersionUID = 1L;

    public BadSignature(String reason) {
        super(reason, null, false, false);
    }
}
