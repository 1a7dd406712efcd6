package dev.pyruntime.maven;

import java.util.List;

/**
 * Whether a Maven invocation goes on to this plugin's {@code deploy}: the goal by prefix ({@code python-runtime:deploy})
 * or by coordinates ({@code dev.pyruntime:python-runtime-maven-plugin[:version]:deploy}, with or without
 * {@code @execution}), or the {@code deploy} phase in a project that binds the goal to it. The goals before it then
 * leave out the targets already published, so a re-run builds nothing it will not publish.
 */
final class DeployPlanned {
    static final String GROUP_ID = "dev.pyruntime";
    static final String ARTIFACT_ID = "python-runtime-maven-plugin";
    static final String PREFIX = "python-runtime";

    private DeployPlanned() {
    }

    /** Whether the tasks name this plugin's deploy goal. @param tasks the phases and goals on Maven's command line */
    static boolean goalIn(List<String> tasks) {
        for (String task : tasks) {
            String t = task.contains("@") ? task.substring(0, task.indexOf('@')) : task;
            String[] parts = t.split(":");
            if (parts.length >= 2 && parts[parts.length - 1].equals("deploy")) {
                boolean byPrefix = parts.length == 2 && parts[0].equals(PREFIX);
                boolean byCoordinates = parts.length >= 3 && parts[0].equals(GROUP_ID) && parts[1].equals(ARTIFACT_ID);
                if (byPrefix || byCoordinates) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether the tasks run the lifecycle up to the {@code deploy} phase. */
    static boolean phaseIn(List<String> tasks) {
        return tasks.contains("deploy");
    }
}
