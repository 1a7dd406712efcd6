package dev.pyruntime.env;

import dev.pyruntime.Setting;
import dev.pyruntime.Console;
import dev.pyruntime.Logs;
import dev.pyruntime.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks, and on request installs, the Debian packages a distro's build needs, in the target's build environment. */
public final class BuildPackages {
    private BuildPackages() {
    }

    /** A Debian package name (Debian Policy 5.6.1), with an optional {@code :arch} qualifier. */
    static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9+.-]+(:[a-z0-9][a-z0-9-]*)?");

    /**
     * Refuses anything that is not a package name: the names reach dpkg-query and apt-get, as root, and a name such as
     * {@code -oDPkg::Pre-Invoke::=...} would be read as an option that runs a command.
     */
    public static void requireNames(List<String> names, String from) throws UserError {
        for (String n : names) {
            if (n == null || !NAME.matcher(n).matches()) {
                throw new UserError(from + " names '" + dev.pyruntime.Chars.shown(String.valueOf(n)) + "', which is not a "
                        + "Debian package name (lower-case letters, digits, '+', '-' and '.', starting with a letter or "
                        + "digit, and an optional :arch)");
            }
        }
    }

    /** The packages of {@code wanted} that are not installed. */
    public static List<String> missing(BuildEnvironment env, List<String> wanted, Path cwd) throws UserError {
        if (wanted.isEmpty()) {
            return List.of();
        }
        requireNames(wanted, "the package list");
        List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package} ${Architecture} ${db:Status-Abbrev}\\n",
                "--"));
        cmd.addAll(wanted);
        ExecResult r = env.run(cmd, Map.of(), cwd);
        // "libssl-dev amd64 ii": a multiarch machine has a line per arch a package is installed for.
        Set<String> installed = new HashSet<>();
        for (String line : r.stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            // Second letter of the status abbreviation: 'i' = installed (whatever the wanted state: install, hold).
            if (f.length >= 3 && f[2].length() >= 2 && f[2].charAt(1) == 'i') {
                installed.add(f[0] + ":" + f[1]);
            }
        }
        // libssl-dev is this machine's arch's (libssl-dev:arm64 alone does not build an amd64 Python);
        // libssl-dev:arm64 only arm64's. A package of Architecture: all is there for every arch.
        String nativeArch = wanted.stream().anyMatch(p -> !p.contains(":"))
                ? env.run(List.of("dpkg", "--print-architecture"), Map.of(), cwd).stdout().strip() : "";
        return wanted.stream().filter(p -> {
            String name = p.replaceAll(":.*$", "");
            String arch = p.contains(":") ? p.substring(p.indexOf(':') + 1) : nativeArch;
            return !installed.contains(name + ":" + arch) && !installed.contains(name + ":all");
        }).toList();
    }

    /** The arches of {@code packages}' {@code :arch} qualifiers that dpkg is not configured for. */
    static List<String> newArches(BuildEnvironment env, List<String> packages, Path cwd) throws UserError {
        Set<String> wanted = new java.util.TreeSet<>();
        packages.stream().filter(p -> p.contains(":")).forEach(p -> wanted.add(p.substring(p.indexOf(':') + 1)));
        if (wanted.isEmpty()) {
            return List.of();
        }
        if (wanted.stream().anyMatch(a -> List.of("any", "all", "native").contains(a))) {
            throw new UserError("the package list names an arch qualifier 'any', 'all' or 'native', which apt resolves "
                    + "itself: name the Debian arch (" + String.join(", ", packages.stream().filter(p -> p.contains(":"))
                    .toList()) + ")");
        }
        Set<String> known = new HashSet<>();
        known.add(env.run(List.of("dpkg", "--print-architecture"), Map.of(), cwd).stdout().strip());
        known.addAll(List.of(env.run(List.of("dpkg", "--print-foreign-architectures"), Map.of(), cwd).stdout()
                .strip().split("\\s+")));
        return wanted.stream().filter(a -> !known.contains(a)).toList();
    }

    /**
     * Makes sure the packages are there: fails with the exact install command, or installs them when allowed and
     * running as root.
     */
    public static void ensure(BuildEnvironment env, String distro, List<String> wanted, boolean install, Path cwd,
                              Console console) throws UserError {
        List<String> missing = missing(env, wanted, cwd);
        if (missing.isEmpty()) {
            return;
        }
        List<String> arches = newArches(env, missing, cwd);
        List<String> commands = new ArrayList<>();
        arches.forEach(a -> commands.add("dpkg --add-architecture " + a));
        if (!arches.isEmpty()) {
            commands.add("apt-get update");
        }
        commands.add("apt-get install -y --no-install-recommends " + String.join(" ", missing));
        if (!install) {
            throw new UserError(distro + " builds need packages that are not installed on " + env.describe() + ": "
                    + String.join(", ", missing) + ". Install them with:\n    " + String.join(" && ", commands)
                    + "\nor run with " + console.words().set(Setting.INSTALL_BUILD_PACKAGES, "true") + " as root.");
        }
        ExecResult id = env.run(List.of("id", "-u"), Map.of(), cwd);
        if (!id.stdout().trim().equals("0")) {
            throw new UserError(console.words().set(Setting.INSTALL_BUILD_PACKAGES, "true") + " needs root on " + env.describe()
                    + "; install the packages yourself:\n    sudo " + String.join(" && sudo ", commands));
        }
        for (String arch : arches) {
            // A cross build's libraries: Debian's multiarch installs them beside this machine's own.
            console.info("Adding the foreign arch " + arch + " to dpkg on " + env.describe() + " (dpkg --add-architecture)");
            ExecResult added = env.run(List.of("dpkg", "--add-architecture", arch), Map.of(), cwd);
            if (!added.ok()) {
                throw new UserError("dpkg --add-architecture " + arch + " failed on " + env.describe() + " (exit "
                        + added.exitCode() + "): " + Logs.tail(added.stdout() + added.stderr(), 5));
            }
        }
        console.info("Installing build packages for " + distro + ": " + String.join(" ", missing));
        List<String> apt = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", "--"));
        apt.addAll(missing);
        Map<String, String> noninteractive = Map.of("DEBIAN_FRONTEND", "noninteractive");
        if (!arches.isEmpty()) {
            // The package lists have no entry of the new arch yet.
            env.run(List.of("apt-get", "update", "-q"), noninteractive, cwd);
        }
        ExecResult r = env.run(apt, noninteractive, cwd);
        if (!r.ok()) {
            env.run(List.of("apt-get", "update", "-q"), noninteractive, cwd);
            r = env.run(apt, noninteractive, cwd);
        }
        if (!r.ok()) {
            throw new UserError("installing " + String.join(" ", missing) + " failed (exit " + r.exitCode() + "):\n"
                    + Logs.tail(r.stdout() + r.stderr(), 20));
        }
        List<String> still = missing(env, wanted, cwd);
        if (!still.isEmpty()) {
            throw new UserError("after apt-get install, still missing on " + env.describe() + ": " + String.join(", ", still));
        }
    }
}
