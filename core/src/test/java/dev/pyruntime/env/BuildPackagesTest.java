package dev.pyruntime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Package names reach dpkg-query and apt-get as root, some of them from an archive's metadata: an option in their
 * place (apt's {@code -oDPkg::Pre-Invoke::=...} runs a command) is refused before anything runs.
 */
class BuildPackagesTest {
    /** This machine, recording what it is asked to run. */
    private static final class Recording implements BuildEnvironment {
        final HostEnvironment host = new HostEnvironment(HostInfo.detect());
        final List<List<String>> ran = new ArrayList<>();

        @Override
        public String describe() {
            return "recording";
        }

        @Override
        public String executor() {
            return "host";
        }

        @Override
        public ExecResult run(List<String> command, Map<String, String> env, Path workDir) throws UserError {
            ran.add(command);
            return host.run(command, env, workDir);
        }

        @Override
        public int stream(List<String> command, Map<String, String> env, Path workDir, Path log, Consumer<String> lines)
                throws UserError, IOException {
            ran.add(command);
            return host.stream(command, env, workDir, log, lines);
        }
    }

    @Test
    void anOptionInPlaceOfAPackageNameIsRefusedBeforeAnythingRuns() {
        Recording env = new Recording();
        UserError e = assertThrows(UserError.class, () -> BuildPackages.missing(env,
                List.of("libssl3", "-oDPkg::Pre-Invoke::=id>/tmp/pwned"), Path.of("/")));
        assertTrue(e.getMessage().contains("names '-oDPkg::Pre-Invoke::=id>/tmp/pwned', which is not a Debian package "
                + "name"), e.getMessage());
        assertEquals(List.of(), env.ran);
    }

    @Test
    void realNamesAreAskedAfterADoubleDash() throws Exception {
        Recording env = new Recording();
        List<String> missing = BuildPackages.missing(env, List.of("dpkg", "libc6:amd64", "no-such-package-xyz"),
                Path.of("/"));
        assertEquals(List.of("no-such-package-xyz"), missing);
        List<String> query = env.ran.get(0);
        assertEquals("--", query.get(query.indexOf("dpkg") - 1), query.toString());
    }
}
