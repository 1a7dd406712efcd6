package dev.pyruntime.plan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyruntime.UserError;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.manifest.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The selected targets as a CI matrix: one entry per target the manifest does not exclude, wherever it can be built
 * (each CI job runs on a runner of the target's arch), in the GitHub Actions {@code strategy.matrix} form
 * {@code {"include": [...]}}.
 */
public final class Matrix {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Matrix() {
    }

    /**
     * One CI job.
     *
     * @param target  the target id, for {@code -Dpython-runtime.targets}
     * @param version the CPython version
     * @param distro  the distro id
     * @param arch    the Debian arch
     * @param runner  the runner label for the arch (the manifest's {@code runners})
     */
    public record Entry(String target, String version, String distro, String arch, String runner) {
    }

    /** The matrix with an {@code include} list, as {@code strategy.matrix} takes it. */
    public record Include(List<Entry> include) {
    }

    /**
     * @param globs    the target selection ({@code python-runtime.targets}), empty for all
     * @param profiles the active profiles (their excludes apply)
     * @throws UserError when an arch of a selected target has no runner
     */
    public static List<Entry> of(Manifest manifest, List<String> globs, List<String> profiles, HostInfo host)
            throws UserError {
        List<Entry> out = new ArrayList<>();
        TreeSet<String> noRunner = new TreeSet<>();
        for (TargetStatus s : TargetSelector.select(manifest, globs, profiles, host)) {
            if (s.state() == TargetStatus.State.EXCLUDED) {
                continue;
            }
            Target t = s.target();
            String runner = manifest.runners().get(t.arch());
            if (runner == null) {
                noRunner.add(t.arch());
                continue;
            }
            out.add(new Entry(t.id(), t.release().version().toString(), t.distro().id(), t.arch(), runner));
        }
        if (!noRunner.isEmpty()) {
            throw new UserError(manifest.fileName() + ": no CI runner for arch " + String.join(", ", noRunner)
                    + "; add one per arch, such as 'runners: { " + noRunner.first() + ": <runner label> }'");
        }
        return out;
    }

    /** One line of JSON, as GitHub's {@code $GITHUB_OUTPUT} needs. */
    public static String toJson(List<Entry> entries) throws IOException {
        return JSON.writeValueAsString(new Include(entries));
    }
}
