package dev.pyruntime.plan;

import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.flags.FlagKind;
import dev.pyruntime.flags.FlagResolver;
import dev.pyruntime.flags.VendorFlags;
import dev.pyruntime.manifest.Adjustment;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.OverrideRule;
import dev.pyruntime.manifest.Suggest;
import dev.pyruntime.manifest.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a manifest and a target into a {@link BuildPlan}, asking the target's build environment for its flags and
 * build triplet. Policy applies in this order: vendor flags, build defaults, matching overrides in file order,
 * profiles in the order given, then what the plugin itself needs.
 */
public final class Planner {
    /** Added to LDFLAGS of --enable-shared builds so the interpreter and extension modules find libpython when moved. */
    public static final String RELOCATION_RPATH = "-Wl,-rpath,$ORIGIN/../lib";

    private Planner() {
    }

    /** The vendor's own answer for the variables a C build reads, kept in the plan for provenance. */
    private static Map<String, BuildPlan.TracedValue> recorded(VendorFlags vendor, String buildDir) {
        Map<String, BuildPlan.TracedValue> out = new LinkedHashMap<>();
        for (String name : List.of("CFLAGS", "CPPFLAGS", "CXXFLAGS", "LDFLAGS")) {
            String value = vendor.values().getOrDefault(name, "").trim();
            List<String> tokens = value.isEmpty() ? List.of()
                    : java.util.Arrays.stream(value.split("\\s+"))
                            .map(t -> FlagResolver.normalisePrefixMap(t, vendor.cwd(), buildDir)).toList();
            out.put(name, new BuildPlan.TracedValue(String.join(" ", tokens), vendor.origins().getOrDefault(name, "vendor")));
        }
        return out;
    }

    /** Checks the profile setting's value ({@code csv}) against the manifest's profiles. */
    public static List<String> activeProfiles(Manifest manifest, String csv, Vocabulary words) throws UserError {
        List<String> names = TargetSelector.parseGlobs(csv);
        for (String n : names) {
            if (!manifest.profiles().containsKey(n)) {
                throw new UserError(words.name(Setting.PROFILE) + ": no profile '" + dev.pyruntime.Chars.shown(n) + "' in " + manifest.fileName()
                        + Suggest.didYouMean(n, manifest.profiles().keySet()) + " (profiles: "
                        + (manifest.profiles().isEmpty() ? "none" : String.join(", ", manifest.profiles().keySet())) + ")");
            }
        }
        return names;
    }

    /** One layer of changes over the build defaults: a matching override or an active profile, in order. */
    private record Layer(String origin, Adjustment adjust) {
    }

    /** What the build defaults and the layers give together, each item with where it came from. */
    private record Applied(List<Flag> configure, List<Flag> builtin, Map<String, BuildPlan.TracedValue> make,
                           List<String> cleanup, Set<String> accepted, List<FlagResolver.Layer> flagLayers) {
    }

    /**
     * @param facts    what the target's build environment answered (see {@link EnvironmentFacts#read})
     * @param buildDir the directory the build will run in, as the environment sees it
     */
    public static BuildPlan plan(Manifest manifest, Target target, List<String> profiles, EnvironmentFacts facts,
                                 String buildDir, String pluginVersion) {
        return plan(manifest, target, profiles, facts, buildDir, pluginVersion, null);
    }

    /**
     * @param buildPython for a cross build, the Python of the target's version given to build with (its path, with the
     *                    setting that gave it as origin), or null to build one from the same source
     */
    public static BuildPlan plan(Manifest manifest, Target target, List<String> profiles, EnvironmentFacts facts,
                                 String buildDir, String pluginVersion, Flag buildPython) {
        Manifest.Build build = manifest.build();
        // A build Python given on this machine: a build container cannot see it, and builds its own.
        boolean given = buildPython != null && facts.cross() != null && target.distro().buildImage() == null;
        EnvironmentFacts.Cross cross = given ? facts.cross().withBuildPython(buildPython.value()) : facts.cross();
        if (cross != facts.cross()) {
            facts = new EnvironmentFacts(facts.executor(), facts.description(), facts.buildTriplet(), facts.vendor(),
                    cross);
        }
        List<Layer> layers = layers(manifest, target, profiles);
        Applied applied = apply(build, layers);
        // What the layers ask for, before a cross build takes PGO out (applied again, for cross plans only).
        boolean pgoAsked = applied.configure().stream().anyMatch(f -> f.value().equals(PGO));
        if (cross != null) {
            layers.add(new Layer(crossOrigin(cross), NO_PGO));
            applied = apply(build, layers);
        }
        String prefix = build.prefix().expand(Map.of("version", target.release().version().toString(),
                "variant", Variant.suffix(target.variant()), "series", target.release().version().series(),
                "target", target.id()));

        List<Flag> configure = new ArrayList<>();
        configure.add(new Flag("--build=" + facts.buildTriplet(), "dpkg-architecture (DEB_BUILD_GNU_TYPE)"));
        if (cross != null) {
            configure.add(new Flag("--host=" + cross.hostTriplet(), "dpkg-architecture -a" + cross.hostArch()
                    + " (DEB_HOST_GNU_TYPE): " + crossOrigin(cross)));
        }
        configure.add(new Flag("--prefix=" + prefix, "build.prefix"));
        if (cross != null) {
            configure.addAll(crossConfigure(cross, buildDir, buildPython, target.distro().buildImage() != null));
        }
        configure.addAll(applied.configure());
        FlagResolver.Resolved resolved = resolveFlags(facts.vendor(), buildDir, applied, configure,
                manifest.archive().separateSymbols());
        List<dev.pyruntime.flags.Diagnostic> diagnostics = new ArrayList<>(resolved.diagnostics());
        if (cross != null && pgoAsked) {
            diagnostics.add(new dev.pyruntime.flags.Diagnostic("cross-no-pgo", "info", PGO + " removed: "
                    + crossOrigin(cross) + ", and PGO's training run needs the target's CPU; --with-lto and the "
                    + "flags stay. The archive's metadata says it was cross-compiled without PGO; for PGO, build "
                    + cross.hostArch() + " targets on a " + cross.hostArch() + " machine (docs/cross.md)"));
        }
        Map<String, List<Flag>> flags = new LinkedHashMap<>();
        resolved.flags().forEach((kind, list) -> flags.put(kind.makeVariable(), list));

        BuildPlan.TargetInfo info = targetInfo(target);
        BuildPlan plan = new BuildPlan(BuildPlan.SCHEMA, null, pluginVersion, info, List.copyOf(profiles),
                source(manifest, target), environment(facts, target, build, buildDir),
                cross == null ? target.distro().packages() : crossPackages(target.distro().packages(), cross),
                prefix, buildDir, List.copyOf(configure), flags, applied.make(), List.copyOf(applied.builtin()),
                RequiredModules.resolve(target.release().version(), manifest.verify(),
                        layers.stream().map(Layer::adjust).toList(), layers.stream().map(Layer::origin).toList()),
                manifest.verify().bin(), target.distro().runImage(), List.copyOf(applied.cleanup()),
                archive(manifest, info), List.copyOf(diagnostics));
        return plan.withFingerprint(PlanJson.fingerprint(plan));
    }

    /** configure's switch for PGO. */
    static final String PGO = "--enable-optimizations";

    /** What a cross build changes in the configure arguments the layers give: no PGO training run. */
    private static final Adjustment NO_PGO = new Adjustment(new dev.pyruntime.flags.Edit(List.of(), List.of(PGO)),
            Map.of(), Map.of(), Set.of(), List.of(), dev.pyruntime.flags.Edit.NONE, dev.pyruntime.flags.Edit.NONE);

    /** Where a cross build's own arguments come from, for the plan's origins. */
    static String crossOrigin(EnvironmentFacts.Cross cross) {
        return "cross: " + cross.hostArch() + " cross-compiled on " + cross.buildArch() + " (manifest 'cross')";
    }

    /** Where a cross build's build Python is built, natively, from the same source: inside the build directory. */
    public static final String BUILD_PYTHON_DIR = "build-python";

    /** configure's option that names a cross build's build Python. */
    public static final String WITH_BUILD_PYTHON = "--with-build-python=";

    /** The build Python a cross build makes from the same source when none is given. */
    public static String defaultBuildPython(String buildDir) {
        return buildDir + "/" + BUILD_PYTHON_DIR + "/python";
    }

    /**
     * The configure arguments a cross build needs besides {@code --host}: the build Python, and the answers configure
     * cannot find by running a test program or looking at this machine's {@code /dev}.
     */
    static List<Flag> crossConfigure(EnvironmentFacts.Cross cross, String buildDir, Flag buildPython,
                                     boolean container) {
        List<Flag> out = new ArrayList<>();
        String why = " (configure needs a Python of the same version to freeze modules and write sysconfig)";
        // Always the same path in the build directory (which the runtime's files name only as a placeholder): a
        // given build Python is linked there, so where it lives reaches neither the archive nor its bytes.
        out.add(new Flag(WITH_BUILD_PYTHON + defaultBuildPython(buildDir), buildPython == null
                ? "cross: a native build of the same source" + why
                : container ? "cross: a native build of the same source, in the build container, which cannot see "
                + buildPython.value() + " (" + buildPython.origin() + ")" + why
                : "cross: " + buildPython.origin() + " " + buildPython.value() + ", linked there" + why));
        String dev = "cross: configure cannot look at the target's /dev; Linux has /dev/ptmx and no /dev/ptc";
        out.add(new Flag("ac_cv_file__dev_ptmx=yes", dev));
        out.add(new Flag("ac_cv_file__dev_ptc=no", dev));
        out.add(new Flag("ac_cv_buggy_getaddrinfo=no", "cross: configure cannot run its getaddrinfo test program; "
                + "glibc's getaddrinfo works"));
        out.add(new Flag("PKG_CONFIG_LIBDIR=/usr/lib/" + cross.multiarch() + "/pkgconfig:/usr/share/pkgconfig",
                "cross: pkg-config reads the target arch's .pc files (DEB_HOST_MULTIARCH), not this machine's"));
        return out;
    }

    /** Build packages that are tools of the machine that builds, though their names end in -dev. */
    static final Set<String> BUILD_TOOLS = Set.of("dpkg-dev");

    /**
     * A cross build's packages: the distro's, for the build Python (a native build of the same source, with its
     * modules), then every library {@code -dev} package again for the target arch ({@code libssl-dev:arm64}, Debian's
     * multiarch), the cross toolchain ({@code crossbuild-essential-arm64}) and {@code qemu-user-static}, which runs the
     * target's programs (the staged interpreter, verify's checks).
     */
    static List<String> crossPackages(List<String> packages, EnvironmentFacts.Cross cross) {
        List<String> out = new ArrayList<>(packages);
        for (String p : packages) {
            if (p.endsWith("-dev") && !p.contains(":") && !BUILD_TOOLS.contains(p)) {
                out.add(p + ":" + cross.hostArch());
            }
        }
        for (String p : List.of("crossbuild-essential-" + cross.hostArch(), "qemu-user-static")) {
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The target's variant (a combination's parts first, in the order it names them), the overrides that match the
     * target (not excludes), then the active profiles: the order they apply in. An override can so change what a
     * variant set ({@code when: { variant: freethreaded }}).
     */
    private static List<Layer> layers(Manifest manifest, Target target, List<String> profiles) {
        List<Layer> layers = new ArrayList<>();
        if (!target.isDefaultVariant()) {
            Variant variant = manifest.variants().get(target.variant());
            for (String part : variant.parts()) {
                layers.add(new Layer(manifest.variants().get(part).label(manifest.fileName()),
                        manifest.variants().get(part).adjust()));
            }
            layers.add(new Layer(variant.label(manifest.fileName()), variant.adjust()));
        }
        for (OverrideRule o : manifest.overrides()) {
            if (!o.exclude() && o.when().matches(target.release().version(), target.variant(), target.distro().id(),
                    target.arch(), profiles)) {
                layers.add(new Layer(o.label(manifest.fileName()), o.adjust()));
            }
        }
        for (String name : profiles) {
            layers.add(new Layer("profile " + name, manifest.profiles().get(name).adjust()));
        }
        return layers;
    }

    /** The build defaults with each layer applied in order: edits edit, make variables and cleanup globs add up. */
    private static Applied apply(Manifest.Build build, List<Layer> layers) {
        List<Flag> configure = new ArrayList<>();
        for (String arg : build.configure()) {
            configure.add(new Flag(arg, "build.configure"));
        }
        Set<String> accepted = new LinkedHashSet<>(build.accept());
        Map<String, BuildPlan.TracedValue> make = new LinkedHashMap<>();
        build.make().forEach((k, v) -> make.put(k, new BuildPlan.TracedValue(v, "build.make")));
        List<String> cleanup = new ArrayList<>(build.cleanup());
        List<Flag> builtin = new ArrayList<>();
        for (String module : build.builtinModules()) {
            builtin.add(new Flag(module, "build.builtinModules"));
        }
        List<FlagResolver.Layer> flagLayers = new ArrayList<>();
        flagLayers.add(new FlagResolver.Layer("build.flags", build.flags()));
        for (Layer layer : layers) {
            Adjustment a = layer.adjust();
            configure = a.configure().apply(configure, layer.origin());
            builtin = a.builtinModules().apply(builtin, layer.origin());
            flagLayers.add(new FlagResolver.Layer(layer.origin(), a.flags()));
            accepted.addAll(a.accept());
            a.make().forEach((k, v) -> make.put(k, new BuildPlan.TracedValue(v, layer.origin())));
            for (String c : a.cleanup()) {
                if (!cleanup.contains(c)) {
                    cleanup.add(c);
                }
            }
        }
        return new Applied(configure, builtin, make, cleanup, accepted, flagLayers);
    }

    /** The make flag variables: the vendor's, edited by the layers, plus what the plugin itself needs. */
    private static FlagResolver.Resolved resolveFlags(VendorFlags vendor, String buildDir, Applied applied,
                                                      List<Flag> configure, boolean separateSymbols) {
        List<String> configureValues = configure.stream().map(Flag::value).toList();
        Map<FlagKind, List<Flag>> plugin = new java.util.EnumMap<>(FlagKind.class);
        List<Flag> link = new ArrayList<>();
        if (separateSymbols) {
            // The link keeps the debug information, and its build-id hashes it: LTO's link-time units record the
            // directory the link runs in (DW_AT_comp_dir) unless the link maps it too, and the same build in another
            // directory would get other build-ids, so other bytes. Dropped from what consumers inherit.
            link.add(new Flag("-ffile-prefix-map=" + buildDir + "=.", "plugin: archive.symbols: separate, the same "
                    + "debug information (and build-ids) in any build directory, LTO's link-time units included"));
        }
        if (configureValues.contains(BuildPlan.ENABLE_SHARED)) {
            link.add(new Flag(RELOCATION_RPATH, "plugin: --enable-shared, relocatable libpython lookup"));
        }
        if (!link.isEmpty()) {
            plugin.put(FlagKind.LDFLAGS, List.copyOf(link));
        }
        return FlagResolver.resolve(vendor, buildDir, applied.flagLayers(), plugin, configureValues, applied.accepted());
    }

    /** Where the release's source comes from: its URL, then the mirrors, with its checksum, signature and key. */
    private static BuildPlan.SourceInfo source(Manifest manifest, Target target) {
        Manifest.Source src = manifest.source();
        Map<String, String> fields = Map.of("version", target.release().version().toString(),
                "series", target.release().version().series(), "file", target.release().file());
        List<String> urls = new ArrayList<>();
        urls.add(src.url().expand(fields));
        for (String mirror : src.mirrors()) {
            urls.add(mirror.equals(Manifest.APT_POOL) ? mirror : new dev.pyruntime.manifest.Template(mirror).expand(fields));
        }
        return new BuildPlan.SourceInfo(target.release().file(), target.release().sha256(), List.copyOf(urls),
                target.release().signature(), src.signingKeys().get(target.release().version().series()));
    }

    /** The build environment and what it answered, as the plan records it. */
    private static BuildPlan.EnvironmentInfo environment(EnvironmentFacts facts, Target target, Manifest.Build build,
                                                         String buildDir) {
        VendorFlags vendor = facts.vendor();
        return new BuildPlan.EnvironmentInfo(facts.executor(), target.distro().buildImage(), facts.description(),
                facts.buildTriplet(), vendor == null ? "none" : vendor.vendor(), vendor == null ? "" : vendor.dpkgVersion(),
                build.maintOptions(), vendor == null ? Map.of() : new TreeMap<>(vendor.features()),
                vendor == null ? Map.of() : recorded(vendor, buildDir), facts.cross());
    }

    private static BuildPlan.TargetInfo targetInfo(Target target) {
        return new BuildPlan.TargetInfo(target.id(), target.release().version().toString(),
                target.isDefaultVariant() ? null : target.variant(),
                target.release().version().series(), target.distro().id(), target.distro().name(),
                target.distro().version(), target.arch());
    }

    private static BuildPlan.ArchiveInfo archive(Manifest manifest, BuildPlan.TargetInfo info) {
        String name = manifest.archive().nameFor(info.version(), info.variant(), info.series(), info.distroName(),
                info.distroVersion(), info.arch(), info.id());
        return new BuildPlan.ArchiveInfo(name, manifest.archive().zstdLevel(), manifest.archive().windowLog(),
                manifest.archive().separateSymbols() ? Manifest.Archive.symbolsName(name) : null);
    }

    /** The archive name of a target, as its plan will have it; from the manifest alone, nothing is planned. */
    public static String archiveName(Manifest manifest, Target target) {
        BuildPlan.TargetInfo info = targetInfo(target);
        return manifest.archive().nameFor(info.version(), info.variant(), info.series(), info.distroName(),
                info.distroVersion(), info.arch(), info.id());
    }
}
