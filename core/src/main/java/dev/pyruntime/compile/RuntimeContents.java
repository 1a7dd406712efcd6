package dev.pyruntime.compile;

import dev.pyruntime.UserError;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a consumer's run image needs and gets, read from the installed tree in its build environment when it compiles:
 * the distro packages whose libraries the tree's ELF files load (the libraries {@code ldd} resolves outside the tree,
 * each mapped to its package by dpkg, with the version that was installed), and the extension modules it has.
 *
 * @param packages          the distro packages the runtime needs at run time, by name
 * @param unpackaged        libraries the ELF files load that no installed package owns (built by hand on the
 *                          build machine?): a run image cannot get them from the distro
 * @param builtinModules    {@code sys.builtin_module_names}: compiled into the interpreter and libpython
 * @param extensionModules  the shared extension modules in {@code lib-dynload}, by module name
 * @param bundled           the third-party code the release bundles and the build compiled in ({@link BundledSources});
 *                          null for a build made before this was recorded
 */
public record RuntimeContents(List<RuntimePackage> packages, List<String> unpackaged, List<String> builtinModules,
                              List<String> extensionModules,
                              @com.fasterxml.jackson.annotation.JsonInclude(
                                      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                              List<BundledSources.Bundled> bundled) {

    /** These contents with what the release in {@code sourceTree} bundles. */
    public RuntimeContents withBundled(Path sourceTree) throws IOException {
        java.util.Set<String> system = new java.util.HashSet<>();
        packages.forEach(p -> system.add(p.name()));
        return new RuntimeContents(packages, unpackaged, builtinModules, extensionModules,
                List.copyOf(BundledSources.read(sourceTree, system)));
    }

    /**
     * A distro package the runtime needs at run time.
     *
     * @param name      the package name, such as {@code libssl3}
     * @param version   the version installed where it was built
     * @param libraries the libraries of it that the runtime loads
     */
    public record RuntimePackage(String name, String version, List<String> libraries) {
    }

    /**
     * Reads what {@code staging} (the installed tree) needs, in its build environment.
     *
     * @param interpreter the interpreter's file in {@code bin/} ({@link BuildPlan#interpreter()}: python3.13t)
     * @param stdlibDir   the standard library's directory in {@code lib/} ({@link BuildPlan#stdlibDir()})
     */
    public static RuntimeContents detect(BuildEnvironment env, Path staging, String interpreter, String stdlibDir)
            throws UserError, IOException {
        List<Path> elves = new ArrayList<>();
        try (Stream<Path> s = Files.walk(staging)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).filter(RuntimeContents::isElf).sorted()
                    .forEach(elves::add);
        }
        // soname -> the path ldd resolved it to, for every library outside the tree.
        Map<String, String> libraries = new TreeMap<>();
        if (!elves.isEmpty()) {
            List<String> ldd = new ArrayList<>(List.of("ldd"));
            elves.forEach(p -> ldd.add(p.toString()));
            ExecResult r = env.run(ldd, Map.of(), staging);
            for (String line : r.stdout().split("\n")) {
                // "\tlibssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x...)" or "\t/lib64/ld-linux-x86-64.so.2 (0x...)"
                String[] arrow = line.strip().split(" => ");
                String path = (arrow.length == 2 ? arrow[1] : arrow[0]).replaceFirst("\\s*\\(0x[0-9a-f]+\\)$", "").strip();
                if (path.startsWith("/") && !path.endsWith(":") && !Path.of(path).startsWith(staging)) {
                    String soname = arrow.length == 2 ? arrow[0].strip() : Path.of(path).getFileName().toString();
                    libraries.putIfAbsent(soname, path);
                }
            }
        }
        Map<String, String> owners = owners(env, libraries.values(), staging);
        Map<String, TreeSet<String>> byPackage = new TreeMap<>();
        List<String> unpackaged = new ArrayList<>();
        libraries.forEach((soname, path) -> {
            String owner = owners.get(path);
            if (owner == null) {
                unpackaged.add(path);
            } else {
                byPackage.computeIfAbsent(owner, k -> new TreeSet<>()).add(soname);
            }
        });
        Map<String, String> versions = versions(env, byPackage.keySet(), staging);
        List<RuntimePackage> packages = new ArrayList<>();
        byPackage.forEach((name, libs) -> packages.add(new RuntimePackage(name, versions.getOrDefault(name, ""),
                List.copyOf(libs))));

        ExecResult builtin = env.run(List.of(staging.resolve("bin/" + interpreter).toString(), "-I", "-c",
                "import sys; print('\\n'.join(sys.builtin_module_names))"), Map.of(), staging);
        List<String> builtinModules = builtin.ok() ? builtin.stdout().lines().map(String::strip)
                .filter(l -> !l.isEmpty()).sorted().toList() : List.of();
        List<String> extensions = new ArrayList<>();
        Path dynload = staging.resolve("lib/" + stdlibDir + "/lib-dynload");
        if (Files.isDirectory(dynload)) {
            try (Stream<Path> s = Files.list(dynload)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".so"))
                        .map(n -> n.substring(0, n.indexOf('.'))).sorted().forEach(extensions::add);
            }
        }
        return new RuntimeContents(List.copyOf(packages), List.copyOf(unpackaged), builtinModules, List.copyOf(extensions),
                null);
    }

    /**
     * The package that owns each path, by dpkg, for those some package owns. A path is tried as ldd gave it, as the
     * other side of the merged /usr (ldd may say /lib/x86_64-linux-gnu/libz.so.1 where the package installed
     * /usr/lib/...), then as the file its links resolve to.
     */
    private static Map<String, String> owners(BuildEnvironment env, java.util.Collection<String> paths, Path cwd)
            throws UserError {
        Map<String, String> out = new TreeMap<>();
        List<String> left = new ArrayList<>(new TreeSet<>(paths));
        for (int round = 0; round < 2 && !left.isEmpty(); round++) {
            Map<String, String> candidateOf = new TreeMap<>();
            if (round == 0) {
                left.forEach(p -> candidateOf.put(p, p));
            } else {
                List<String> realpath = new ArrayList<>(List.of("realpath", "-e", "--"));
                realpath.addAll(left);
                List<String> real = env.run(realpath, Map.of(), cwd).stdout().lines().toList();
                for (int i = 0; i < left.size() && real.size() == left.size(); i++) {
                    candidateOf.put(real.get(i).strip(), left.get(i));
                }
            }
            new ArrayList<>(candidateOf.entrySet()).forEach(e -> candidateOf.put(usrToggled(e.getKey()), e.getValue()));
            List<String> query = new ArrayList<>(List.of("dpkg-query", "-S", "--"));
            query.addAll(candidateOf.keySet());
            // "libssl3:amd64: /usr/lib/x86_64-linux-gnu/libssl.so.3"; a diverted file names two packages. Exit 1
            // when some path has no owner: the others are still printed.
            for (String line : env.run(query, Map.of(), cwd).stdout().split("\n")) {
                // "diversion by libc6 from: /lib64/ld-linux-x86-64.so.2" (Debian 13, Ubuntu 24.04) names no owner.
                if (line.startsWith("diversion by ")) {
                    continue;
                }
                int sep = line.indexOf(": ");
                String original = sep > 0 ? candidateOf.get(line.substring(sep + 2).strip()) : null;
                if (original != null) {
                    out.putIfAbsent(original, line.substring(0, sep).split(",")[0].strip().replaceFirst(":.*$", ""));
                }
            }
            left.removeIf(out::containsKey);
        }
        return out;
    }

    private static String usrToggled(String path) {
        return path.startsWith("/usr/") ? path.substring(4) : "/usr" + path;
    }

    private static Map<String, String> versions(BuildEnvironment env, java.util.Set<String> names, Path cwd) throws UserError {
        Map<String, String> out = new TreeMap<>();
        if (names.isEmpty()) {
            return out;
        }
        List<String> cmd = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${Package}\t${Version}\n", "--"));
        cmd.addAll(names);
        for (String line : env.run(cmd, Map.of(), cwd).stdout().split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2) {
                out.putIfAbsent(f[0], f[1].strip());
            }
        }
        return out;
    }

    /** Whether {@code file} starts with the ELF magic. */
    public static boolean isElf(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
        } catch (IOException e) {
            return false;
        }
    }
}
