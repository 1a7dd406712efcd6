package dev.pyruntime.verify;

/**
 * One verdict of {@code verify}.
 *
 * @param id      a stable id, such as {@code elf-relro}
 * @param what    what was checked, in a few words
 * @param status  the verdict
 * @param detail  the evidence: what was found, and for a failure what is wrong and where
 */
public record Check(String id, String what, Status status, String detail) {

    public enum Status { PASS, FAIL, SKIPPED }

    public static Check pass(String id, String what, String detail) {
        return new Check(id, what, Status.PASS, detail);
    }

    public static Check fail(String id, String what, String detail) {
        return new Check(id, what, Status.FAIL, detail);
    }

    public static Check skipped(String id, String what, String why) {
        return new Check(id, what, Status.SKIPPED, why);
    }

    /** Passes when {@code problems} is empty, else fails listing them. */
    public static Check of(String id, String what, java.util.List<String> problems, String okDetail) {
        return problems.isEmpty() ? pass(id, what, okDetail) : fail(id, what, String.join("; ", problems));
    }

    public boolean failed() {
        return status == Status.FAIL;
    }
}
