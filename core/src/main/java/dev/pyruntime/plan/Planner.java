package dev.pyruntime.plan;

import dev.pyruntime.Vocabulary;
import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.flags.Diagnostic;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.flags.FlagKind;
import dev.pyruntime.flags.FlagResolver;
import dev.pyruntime.flags.VendorFlags;
import dev.pyruntime.manifest.Adjustment;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.OverrideRule;
import dev.pyruntime.manifest.Profile;
import dev.pyruntime.manifest.Suggest;
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
                throw new UserError(words.name(Setting.PROFILE) + ": no profile '" + n + "' in " + manifest.fileName()
                        + Suggest.didYouMean(n, manifest.profiles().keySet()) + " (profiles: "
                        + (manifest.profiles().isEmpty() ? "none" : String.join(", ", manifest.profiles().keySet())) + ")");
            }
        }
        return names;
    }

    /**
     * @param facts    what the target's build environment answered (see {@link EnvironmentFacts#read})
     * @param buildDir the directory the build will run in, as the environment sees it
     */
    public static BuildPlan plan(Manifest manifest, Target target, List<String> profiles, EnvironmentFacts facts,
                                 String buildDir, String pluginVersion) {
        Manifest.Build build = manifest.build();
        String triplet = facts.buildTriplet();
        VendorFlags vendor = facts.vendor();

        // Layers in order: build defaults, overrides, profiles.
        List<String> origins = new ArrayList<>();
        List<Adjustment> adjustments = new ArrayList<>();
        for (OverrideRule o : manifest.overrides()) {
            if (!o.exclude() && o.when().matches(target.release().version(), target.distro().id(), target.arch(), profiles)) {
                origins.add(o.label(manifest.fileName()));
                adjustments.add(o.adjust());
            }
        }
        for (String name : profiles) {
            Profile p = manifest.profiles().get(name);
            origins.add("profile " + name);
            adjustments.add(p.adjust());
        }

        Map<String, String> fields = Map.of("version", target.release().version().toString(),
                "series", target.release().version().series(), "target", target.id());
        String prefix = build.prefix().expand(fields);

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
        List<FlagResolver.Layer> layers = new ArrayList<>();
        layers.add(new FlagResolver.Layer("build.flags", build.flags()));
        for (int i = 0; i < adjustments.size(); i++) {
            Adjustment a = adjustments.get(i);
            String origin = origins.get(i);
            configure = a.configure().apply(configure, origin);
            builtin = a.builtinModules().apply(builtin, origin);
            layers.add(new FlagResolver.Layer(origin, a.flags()));
            accepted.addAll(a.accept());
            a.make().forEach((k, v) -> make.put(k, new BuildPlan.TracedValue(v, origin)));
            for (String c : a.cleanup()) {
                if (!cleanup.contains(c)) {
                    cleanup.add(c);
                }
            }
        }
        List<Flag> allConfigure = new ArrayList<>();
        allConfigure.add(new Flag("--build=" + triplet, "dpkg-architecture (DEB_BUILD_GNU_TYPE)"));
        allConfigure.add(new Flag("--prefix=" + prefix, "build.prefix"));
        allConfigure.addAll(configure);
        List<String> configureValues = allConfigure.stream().map(Flag::value).toList();

        Map<FlagKind, List<Flag>> plugin = new java.util.EnumMap<>(FlagKind.class);
        if (configureValues.contains(BuildPlan.ENABLE_SHARED)) {
            plugin.put(FlagKind.LDFLAGS, List.of(new Flag(RELOCATION_RPATH,
                    "plugin: --enable-shared, relocatable libpython lookup")));
        }
        FlagResolver.Resolved resolved = FlagResolver.resolve(vendor, buildDir, layers, plugin,
                configureValues, accepted);
        Map<String, List<Flag>> flags = new LinkedHashMap<>();
        resolved.flags().forEach((kind, list) -> flags.put(kind.makeVariable(), list));

        Manifest.Source src = manifest.source();
        Map<String, String> sourceFields = Map.of("version", target.release().version().toString(),
                "series", target.release().version().series(), "file", target.release().file());
        List<String> urls = new ArrayList<>();
        urls.add(src.url().expand(sourceFields));
        for (String mirror : src.mirrors()) {
            urls.add(mirror.equals(Manifest.APT_POOL) ? mirror : new dev.pyruntime.manifest.Template(mirror).expand(sourceFields));
        }
        BuildPlan.SourceInfo source = new BuildPlan.SourceInfo(target.release().file(), target.release().sha256(),
                List.copyOf(urls), target.release().signature(), src.signingKeys().get(target.release().version().series()));

        BuildPlan.EnvironmentInfo envInfo = new BuildPlan.EnvironmentInfo(facts.executor(),
                target.distro().executor() == dev.pyruntime.manifest.Distro.Executor.CONTAINER ? target.distro().image() : null,
                facts.description(), triplet,
                vendor == null ? "none" : vendor.vendor(), vendor == null ? "" : vendor.dpkgVersion(),
                build.maintOptions(), vendor == null ? Map.of() : new TreeMap<>(vendor.features()),
                vendor == null ? Map.of() : recorded(vendor, buildDir));

        BuildPlan.TargetInfo info = new BuildPlan.TargetInfo(target.id(), target.release().version().toString(),
                target.release().version().series(), target.distro().id(), target.distro().name(),
                target.distro().version(), target.arch());
        String archiveName = manifest.archive().name().expand(Map.of("version", info.version(), "series", info.series(),
                "distro", info.distroName(), "distroVersion", info.distroVersion(), "arch", info.arch(), "target", info.id()));
        List<Diagnostic> diagnostics = resolved.diagnostics();

        BuildPlan plan = new BuildPlan(BuildPlan.SCHEMA, null, pluginVersion, info, List.copyOf(profiles), source, envInfo,
                target.distro().packages(), prefix, buildDir, List.copyOf(allConfigure), flags, make, List.copyOf(builtin),
                RequiredModules.resolve(target.release().version(), manifest.verify(), adjustments, origins),
                manifest.verify().bin(), target.distro().runImage(), List.copyOf(cleanup),
                new BuildPlan.ArchiveInfo(archiveName, manifest.archive().zstdLevel(), manifest.archive().windowLog()),
                diagnostics);
        return plan.withFingerprint(PlanJson.fingerprint(plan));
    }

}
