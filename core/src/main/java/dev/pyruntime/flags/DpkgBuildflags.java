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
        return query(env, cwd, maintOptions, null);
    }

    /**
     * Runs {@code dpkg-buildflags --query} for another host arch than the environment's own ({@code DEB_HOST_ARCH},
     * which dpkg-buildflags reads as a cross build's {@code dpkg-architecture -a} sets it): the flags a Debian
     * package cross-built for {@code hostArch} gets, such as trixie's {@code -mbranch-protection=standard} on arm64.
     *
     * @param hostArch the Debian arch built for, or null for the environment's own
     */
    public static VendorFlags query(BuildEnvironment env, Path cwd, String maintOptions, String hostArch)
            throws UserError {
        Map<String, String> vars = new java.util.TreeMap<>();
        if (!maintOptions.isEmpty()) {
            vars.put("DEB_BUILD_MAINT_OPTIONS", maintOptions);
        }
        if (hostArch != null) {
            vars.put("DEB_HOST_ARCH", hostArch);
        }
        ExecResult r = env.run(List.of("dpkg-buildflags", "--query"), vars, cwd);
        if (!r.ok()) {
            throw new UserError("dpkg-buildflags --query failed on " + env.describe() + " (exit " + r.exitCode() + "): "
                    + r.stderr().strip() + (maintOptions.isEmpty() ? "" : "; check build.flags.maintOptions '"
                    + maintOptions + "'"));
        }
        ExecResult v = env.run(List.of("dpkg-query", "-W", "-f=${Version}", "dpkg-dev"), Map.of(), cwd);
        return VendorFlags.parseQuery(r.stdout(), v.ok() ? v.stdout().trim() : "", cwd.toString());
    }

    /**
     * What {@code dpkg-architecture -a<hostArch>} says about a cross build for {@code hostArch} in the environment:
     * every {@code DEB_*} variable, such as {@code DEB_BUILD_ARCH=amd64}, {@code DEB_HOST_GNU_TYPE=aarch64-linux-gnu}
     * and {@code DEB_HOST_MULTIARCH=aarch64-linux-gnu}.
     */
    public static Map<String, String> architecture(BuildEnvironment env, Path cwd, String hostArch) throws UserError {
        if (!hostArch.matches("[a-z0-9]+")) {
            throw new IllegalArgumentException("not a Debian arch: " + hostArch);
        }
        ExecResult r = env.run(List.of("dpkg-architecture", "-a" + hostArch), Map.of(), cwd);
        Map<String, String> out = new java.util.TreeMap<>();
        for (String line : r.stdout().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        String triplet = out.getOrDefault("DEB_HOST_GNU_TYPE", "");
        if (!r.ok() || !triplet.matches("[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+") || !hostArch.equals(out.get("DEB_HOST_ARCH"))) {
            throw new UserError("dpkg-architecture -a" + hostArch + " failed on " + env.describe() + " (exit "
                    + r.exitCode() + "): " + (r.stderr().isBlank() ? r.stdout().strip() : r.stderr().strip())
                    + "; is " + hostArch + " an arch this dpkg knows (dpkg-architecture -L)?");
        }
        return out;
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
