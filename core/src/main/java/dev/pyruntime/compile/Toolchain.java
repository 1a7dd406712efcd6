package dev.pyruntime.compile;

import dev.pyruntime.UserError;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ExecResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The versions of the tools that built a runtime, recorded in the build environment when it compiles (so packaging
 * later, or elsewhere, reports the compiler that really ran): gcc, binutils, glibc and dpkg-dev, with the Debian
 * package versions where dpkg knows them.
 */
public final class Toolchain {
    private Toolchain() {
    }

    /** Asks the build environment. Keys: {@code gcc}, {@code binutils}, {@code glibc}, {@code dpkg-dev}. */
    public static Map<String, String> detect(BuildEnvironment env, Path dir) throws UserError {
        return detect(env, dir, null);
    }

    /**
     * Asks the build environment, for a cross build about the cross toolchain: {@code aarch64-linux-gnu-gcc} (Debian's
     * {@code gcc-12-aarch64-linux-gnu}), {@code binutils-aarch64-linux-gnu} and the target arch's {@code libc6:arm64};
     * then with one more key, {@code cross}: {@code amd64 -> arm64}.
     *
     * @param cross the cross build's answers, or null for a native build
     */
    public static Map<String, String> detect(BuildEnvironment env, Path dir, dev.pyruntime.plan.EnvironmentFacts.Cross cross)
            throws UserError {
        Map<String, String> out = new LinkedHashMap<>();
        String prefix = cross == null ? "" : cross.hostTriplet() + "-";
        String suffix = cross == null ? "" : "-" + cross.hostTriplet();
        String gcc = firstLine(env.run(List.of(prefix + "gcc", "-dumpfullversion", "-dumpversion"), Map.of(), dir));
        String gccPackage = gcc.isEmpty() ? "" : "gcc-" + gcc.split("\\.")[0] + suffix;
        String binutils = "binutils" + suffix;
        String libc = cross == null ? "libc6" : "libc6:" + cross.hostArch();
        Map<String, String> debian = debianVersions(env, dir, gccPackage, binutils, libc, "dpkg-dev");
        out.put("gcc", withPackage(gcc, gccPackage, debian));
        out.put("binutils", debian.getOrDefault(binutils, firstLine(env.run(List.of(prefix + "ld", "--version"), Map.of(), dir))));
        out.put("glibc", debian.getOrDefault("libc6", cross != null ? ""
                : firstLine(env.run(List.of("getconf", "GNU_LIBC_VERSION"), Map.of(), dir))));
        out.put("dpkg-dev", debian.getOrDefault("dpkg-dev", ""));
        if (cross != null) {
            out.put("cross", cross.buildArch() + " -> " + cross.hostArch());
        }
        return out;
    }

    /**
     * {@link #detect}, and when the plan names its own C compiler (a configure argument {@code CC=clang-19}), that
     * compiler too, under the key {@code cc}: {@code clang-19: Debian clang version 19.1.7 (3+b1)}. The gcc key stays
     * (the distro's compiler, which built nothing then but is what consumers' extension builds find by default).
     */
    public static Map<String, String> detect(BuildEnvironment env, Path dir, dev.pyruntime.plan.EnvironmentFacts.Cross cross,
                                             List<String> configure) throws UserError {
        Map<String, String> out = detect(env, dir, cross);
        String cc = configure.stream().filter(a -> a.startsWith("CC=")).reduce((a, b) -> b).map(a -> a.substring(3))
                .orElse("");
        if (!cc.isEmpty() && !cc.contains(" ") && !cc.startsWith("-")) {
            out.put("cc", cc + ": " + firstLine(env.run(List.of(cc, "--version"), Map.of(), dir)));
        }
        return out;
    }

    private static String withPackage(String version, String pkg, Map<String, String> debian) {
        String packaged = debian.get(pkg);
        return packaged == null ? version : version + " (" + pkg + " " + packaged + ")";
    }

    private static Map<String, String> debianVersions(BuildEnvironment env, Path dir, String... packages) throws UserError {
        List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package}\t${Version}\n"));
        for (String p : packages) {
            if (!p.isEmpty()) {
                cmd.add(p);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        // Exit 1 names packages dpkg does not know; the ones it knows are still printed.
        for (String line : env.run(cmd, Map.of(), dir).stdout().split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2 && !f[1].isBlank()) {
                out.put(f[0].replaceFirst(":.*", ""), f[1].trim());
            }
        }
        return out;
    }

    private static String firstLine(ExecResult r) {
        return r.ok() ? r.stdout().strip().lines().findFirst().orElse("") : "";
    }
}
