package dev.pyruntime.flags;

import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ExecResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Asks a build environment for its distro's flags and build triplet, the way Debian packages get them. */
public final class DpkgBuildflags {
    private DpkgBuildflags() {
    }

    /**
     * Runs {@code dpkg-buildflags --query} in {@code cwd} of {@code env}.
     *
     * @param maintOptions DEB_BUILD_MAINT_OPTIONS to ask with (empty for the distro's defaults)
     */
    public static VendorFlags query(BuildEnvironment env, Path cwd, String maintOptions) throws UserError {
        Map<String, String> vars = maintOptions.isEmpty() ? Map.of() : Map.of("DEB_BUILD_MAINT_OPTIONS", maintOptions);
        ExecResult r = env.run(List.of("dpkg-buildflags", "--query"), vars, cwd);
        if (!r.ok()) {
            throw new UserError("dpkg-buildflags --query failed on " + env.describe() + " (exit " + r.exitCode() + "): "
                    + r.stderr().strip() + (maintOptions.isEmpty() ? "" : "; check build.flags.maintOptions '"
                    + maintOptions + "'"));
        }
        ExecResult v = env.run(List.of("dpkg-query", "-W", "-f=${Version}", "dpkg-dev"), Map.of(), cwd);
        return VendorFlags.parseQuery(r.stdout(), v.ok() ? v.stdout().trim() : "", cwd.toString());
    }

    /** {@code dpkg-architecture -qDEB_BUILD_GNU_TYPE}: the GNU triplet passed to configure as --build. */
    public static String buildTriplet(BuildEnvironment env, Path cwd) throws UserError {
        ExecResult r = env.run(List.of("dpkg-architecture", "-qDEB_BUILD_GNU_TYPE"), Map.of(), cwd);
        String triplet = r.stdout().trim();
        if (!r.ok() || !triplet.matches("[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+")) {
            throw new UserError("dpkg-architecture -qDEB_BUILD_GNU_TYPE failed on " + env.describe() + " (exit "
                    + r.exitCode() + "): " + (r.stderr().isBlank() ? triplet : r.stderr().strip()));
        }
        return triplet;
    }
}
