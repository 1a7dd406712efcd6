package dev.pyruntime.env;

import dev.pyruntime.RecordingConsole;
import java.nio.file.Path;
import java.util.List;

/** Starts a container environment, prints its container's name and waits: the process a Ctrl-C test interrupts. */
public final class HoldContainerMain {
    private HoldContainerMain() {
    }

    public static void main(String[] args) throws Exception {
        ContainerEnvironment env = ContainerEnvironment.start(TestContainers.engine(), TestContainers.IMAGE, "held",
                "debian-13", HostInfo.detect().arch(), List.of(), List.of(Path.of(args[0])), new RecordingConsole());
        System.out.println("container " + env.container());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
