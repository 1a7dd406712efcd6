package dev.pyruntime.env;

import dev.pyruntime.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * This machine, running what it is asked to and recording each command: to prove what ran, and what did not. It is
 * neither a {@link HostEnvironment} nor a container, so it has no {@link Sandbox}.
 */
public final class RecordingEnvironment implements BuildEnvironment {
    private final HostEnvironment host = new HostEnvironment(HostInfo.detect());
    private final String describe;
    /** Every command run, in order. */
    public final List<List<String>> ran = new ArrayList<>();

    public RecordingEnvironment(String describe) {
        this.describe = describe;
    }

    @Override
    public String describe() {
        return describe;
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
