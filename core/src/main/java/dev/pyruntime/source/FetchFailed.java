package dev.pyruntime.source;

/** One location did not deliver the file; the message is the short reason ({@code HTTP 404}, {@code unknown host x}). */
final class FetchFailed extends Exception {
    private static final long serialVersionUID = 1L;

    FetchFailed(String reason) {
        super(reason, null, false, false);
    }
}
