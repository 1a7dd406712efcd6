package dev.pyruntime.source;

/** A detached signature that does not prove the file came from the pinned key; the message says why. */
final class BadSignature extends Exception {
    private static final long serialVersionUID = 1L;

    BadSignature(String reason) {
        super(reason, null, false, false);
    }
}
