package dev.pyruntime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a real tool of this machine for a test and returns what it printed; a failure fails the test with the output. */
public final class Commands {
    private Commands() {
    }

    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), cmd + ":\n" + out);
            return out;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(cmd + " could not run: " + e + " (the tests need tar, zstd, gcc and checksec: "
                    + "apt-get install build-essential zstd checksec)", e);
        }
    }
}
