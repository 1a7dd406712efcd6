package dev.pyruntime.env;

/**
 * What a command printed and how it exited.
 *
 * @param exitCode exit status
 * @param stdout   standard output
 * @param stderr   standard error
 */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean ok() {
        return exitCode == 0;
    }
}
