package dev.pyruntime.manifest;

import static dev.pyruntime.manifest.ManifestValues.PATH_CHARS;
import static dev.pyruntime.manifest.ManifestValues.PLACEHOLDER;
import static dev.pyruntime.manifest.ManifestValues.firstOutside;
import static dev.pyruntime.manifest.ManifestValues.sha256Mistake;
import static dev.pyruntime.manifest.ManifestValues.template;

import dev.pyruntime.Chars;
import dev.pyruntime.env.ContainerEngine;
import dev.pyruntime.flags.Edit;
import dev.pyruntime.flags.FlagKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads the schema-1 manifest from a node tree, reporting every problem into {@link Problems}. */
final class ManifestReader {
    /** Debian architecture names a target may use. */
    static final List<String> KNOWN_ARCHES = List.of("amd64", "arm64", "armel", "armhf", "i386", "loong64", "mips64el",
            "ppc64el", "riscv64", "s390x");
    static final List<String> ARCHIVE_FIELDS = List.of("version", "variant", "series", "distro", "distroVersion", "arch",
            "target");
    static final List<String> SOURCE_FIELDS = List.of("version", "series", "file");
    static final List<String> PREFIX_FIELDS = List.of("version", "variant", "series", "target");
    static final List<String> FLAG_SOURCES = List.of("dpkg-buildflags", "none");

    /** {@code {variant}} is empty for the default build, so its archives keep the names they had before variants. */
    static final String DEFAULT_ARCHIVE_NAME = "python-{version}{variant}-{distro}-{distroVersion}-{arch}.tar.zst";
    static final String DEFAULT_PREFIX = "/tmp/python-runtime/{target}";


    private final Problems problems;
    private final AdjustmentReader adjustments;
    private final Map<String, Distro> distros = new LinkedHashMap<>();
    private final List<String> arches = new ArrayList<>();
    private final Map<String, Profile> profiles = new LinkedHashMap<>();
    private final Map<String, Variant> variants = new LinkedHashMap<>();
    private final List<Release> versions = new ArrayList<>();

    ManifestReader(Problems problems) {
        this.problems = problems;
        this.adjustments = new AdjustmentReader(problems);
    }

    Manifest read(YamlValue root) {
        Mapping top = root.mapping();
        if (top == null) {
            return null;
        }
        YamlValue schema = top.require("schema", "add 'schema: " + Manifest.SCHEMA + "' as the first line");
        if (schema != null) {
            Integer n = schema.integer(1, 99);
            if (n != null && n != Manifest.SCHEMA) {
                schema.error("this plugin reads schema " + Manifest.SCHEMA + ", found " + n
                        + "; use the plugin version that wrote this manifest, or migrate it");
                return null; // the rest is another schema's: checking it against this one would only report noise
            }
        }
        SourceSectionReader.ArchiveSection archiveSection = SourceSectionReader.readArchive(top.get("archive"));
        Manifest.Archive archive = archiveSection.archive();
        Manifest.Source source = SourceSectionReader.readSource(top.require("source", "say where sources come from (source.url)"));
        readDistros(top.require("distros", "list at least one distro, such as 'debian-12: { executor: host }'"));
        readArches(top.require("arches", "list at least one arch, such as '[amd64]'"));
        readProfiles(top.get("profiles"));
        Manifest.Build build = readBuild(top.get("build"));
        readVersions(top.require("versions", "list at least one CPython release"));
        readVariants(top.get("variants"));
        checkVariantNames(archive, archiveSection.name());
        checkArchiveNameLength(archive, archiveSection.name());
        List<OverrideRule> overrides = readOverrides(top.get("overrides"));
        Manifest.Verify verify = readVerify(top.get("verify"));
        Map<String, String> runners = readRunners(top.get("runners"));
        Manifest.Publish publish = readPublish(top.get("publish"));
        Map<String, Manifest.Cross> cross = readCross(top.get("cross"));
        top.finish("schema", "archive", "source", "distros", "arches", "build", "versions", "variants", "overrides",
                "profiles", "verify", "runners", "publish", "cross");
        if (archive == null || source == null || build == null) {
            return null;
        }
        warnUnmatched(overrides);
        List<Problem> warnings = problems.sorted().stream().filter(p -> !p.isError()).toList();
        return new Manifest(problems.file(), archive, source,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(distros)), List.copyOf(arches), build,
                List.copyOf(versions), overrides, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(profiles)),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variants)), verify, runners, publish, cross, warnings);
    }

    // ---------------------------------------------------------------- archive name length

    /**
     * Refuses an archive name that would be too long a file name for some target (a long literal part, or a long
     * distro id in it): packing would fail after the whole build. Reported once, for the target whose name is
     * longest: at {@code archive.name}, or at that target's distro id when the default name applies.
     */
    private void checkArchiveNameLength(Manifest.Archive archive, YamlValue nameValue) {
        if (archive == null) {
            return;
        }
        String longestTarget = null;
        Distro longestDistro = null;
        int longest = 0;
        for (Release r : versions) {
            for (String variant : variantsOf(r.version())) {
                for (Distro d : distros.values()) {
                    for (String arch : arches) {
                        String target = r.version() + Variant.suffix(variant) + "-" + d.id() + "-" + arch;
                        int bytes = archive.nameFor(r.version().toString(), variant, r.version().series(), d.name(),
                                d.version(), arch, target).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
                        if (bytes > longest) {
                            longest = bytes;
                            longestTarget = target;
                            longestDistro = d;
                        }
                    }
                }
            }
        }
        if (longest <= Manifest.Archive.MAX_NAME_BYTES) {
            return;
        }
        String why = "more than the " + Manifest.Archive.MAX_NAME_BYTES + " an archive name may have (a file name is "
                + "at most 255 bytes, and the .sha256 and temp files written beside the archive add to its name)";
        if (nameValue != null) {
            nameValue.error("'" + archive.name().text() + "' expands to " + longest + " bytes for target "
                    + longestTarget + ", " + why + "; shorten it, such as " + DEFAULT_ARCHIVE_NAME);
        } else {
            problems.error(longestDistro.at(), "distros." + longestDistro.id(), "the archive name ("
                    + DEFAULT_ARCHIVE_NAME + ") expands to " + longest + " bytes for target " + longestTarget + ", "
                    + why + "; shorten the distro id");
        }
    }

    /** {@link Manifest#variantsOf}, while the manifest is read. */
    private List<String> variantsOf(PythonVersion version) {
        return Variant.of(version, variants);
    }

    /**
     * With variants declared, an archive name must tell a variant's archive from the default build's: a name without
     * {@code {variant}} or {@code {target}} would give both the same name, and the second would never be published.
     */
    private void checkVariantNames(Manifest.Archive archive, YamlValue nameValue) {
        if (archive == null || variants.isEmpty() || nameValue == null) {
            return;
        }
        java.util.Set<String> f = archive.name().fields();
        if (!f.contains("variant") && !f.contains("target")) {
            nameValue.error("with variants declared (" + String.join(", ", variants.keySet()) + "), a variant's "
                    + "archive would get the default build's name; add {variant} after {version} (it gives "
                    + "+freethreaded for a variant and nothing for the default build), such as "
                    + DEFAULT_ARCHIVE_NAME);
        }
    }

    // ---------------------------------------------------------------- runners

    /** CI runner labels per arch: the defaults for the arches listed, then the manifest's. */
    private Map<String, String> readRunners(YamlValue v) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String arch : arches) {
            if (Manifest.DEFAULT_RUNNERS.containsKey(arch)) {
                out.put(arch, Manifest.DEFAULT_RUNNERS.get(arch));
            }
        }
        Mapping m = v == null ? null : v.mapping();
        if (m == null) {
            return java.util.Collections.unmodifiableMap(out);
        }
        for (Mapping.Entry e : m.entries()) {
            if (!arches.contains(e.key())) {
                problems.error(e.keyAt(), e.value().path(), "a runner for arch '" + Chars.shown(e.key()) + "', which 'arches' does "
                        + "not list" + Suggest.didYouMean(e.key(), arches));
                continue;
            }
            String label = e.value().string();
            if (label == null) {
                continue;
            }
            if (!label.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                e.value().error("'" + label + "' is not a runner label (letters, digits, '.', '_' and '-'), such as "
                        + "ubuntu-24.04-arm");
                continue;
            }
            out.put(e.key(), label);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    // ---------------------------------------------------------------- cross

    static final List<String> MATRIX = List.of("native", "cross");

    /**
     * {@code cross: { arm64: { from: amd64, matrix: native } }}: which arches a machine of another arch may
     * cross-compile (docs/cross.md). An arch not listed is built only on a machine of its own.
     */
    private Map<String, Manifest.Cross> readCross(YamlValue v) {
        Map<String, Manifest.Cross> out = new java.util.TreeMap<>();
        Mapping m = v == null ? null : v.mapping();
        if (m == null) {
            return java.util.Collections.unmodifiableMap(out);
        }
        for (Mapping.Entry e : m.entries()) {
            if (!arches.contains(e.key())) {
                problems.error(e.keyAt(), e.value().path(), "a cross set-up for arch '" + Chars.shown(e.key())
                        + "', which 'arches' does not list" + Suggest.didYouMean(e.key(), arches));
                continue;
            }
            Mapping c = e.value().mapping();
            if (c == null) {
                continue;
            }
            YamlValue fromValue = c.require("from", "name the arch of the machine that cross-compiles "
                    + e.key() + " targets, such as 'from: amd64'");
            String from = fromValue == null ? null : fromValue.string();
            if (from != null && !KNOWN_ARCHES.contains(from)) {
                fromValue.error("unknown arch '" + Chars.shown(from) + "'" + Suggest.didYouMean(from, KNOWN_ARCHES)
                        + " (Debian names: " + String.join(", ", KNOWN_ARCHES) + ")");
                from = null;
            } else if (from != null && from.equals(e.key())) {
                fromValue.error("'" + from + "' is the target arch itself: a machine of " + from + " builds its "
                        + "targets natively; name the other arch that cross-compiles them, such as 'from: amd64'");
                from = null;
            }
            if (from != null && !dev.pyruntime.env.Emulation.knows(e.key())) {
                e.value().error("python-runtime has no cross set-up for " + Chars.shown(e.key()) + " (it knows the "
                        + "loader and triplet of " + String.join(", ", dev.pyruntime.env.Emulation.known()) + ")");
                from = null;
            }
            List<String> crossDistros = new ArrayList<>();
            YamlValue distrosValue = c.get("distros");
            List<YamlValue> items = distrosValue == null ? List.of() : distrosValue.oneOrMany();
            for (YamlValue item : items == null ? List.<YamlValue>of() : items) {
                String d = item.string();
                if (d != null && !distros.containsKey(d)) {
                    item.error("'" + Chars.shown(d) + "' is no distro of 'distros'" + Suggest.didYouMean(d,
                            distros.keySet()) + " (distros: " + String.join(", ", distros.keySet()) + ")");
                } else if (d != null) {
                    crossDistros.add(d);
                }
            }
            boolean matrixCross = false;
            YamlValue matrix = c.get("matrix");
            if (matrix != null) {
                String value = matrix.string();
                if (value != null && !MATRIX.contains(value)) {
                    matrix.error("'" + Chars.shown(value) + "' is not a matrix choice: 'native' (CI builds " + e.key()
                            + " targets on a runner of their own arch, with PGO) or 'cross' (on a runner of the "
                            + "'from' arch, cross-compiled, without PGO)" + Suggest.didYouMean(value, MATRIX));
                }
                matrixCross = "cross".equals(value);
            }
            c.finish("from", "distros", "matrix");
            if (from != null) {
                out.put(e.key(), new Manifest.Cross(from, matrixCross, List.copyOf(crossDistros)));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    // ---------------------------------------------------------------- publish

    static final List<String> SIGNING = List.of("required", "optional");

    /** {@code publish: { signing: required }}: deploy fails before building anything when it has no signing key. */
    private Manifest.Publish readPublish(YamlValue v) {
        if (v == null || v.mapping() == null) {
            return Manifest.Publish.DEFAULT;
        }
        Mapping m = v.mapping();
        boolean required = false;
        YamlValue signing = m.get("signing");
        if (signing != null) {
            String value = signing.string();
            if (value != null && !SIGNING.contains(value)) {
                signing.error("'" + Chars.shown(value) + "' is not a signing policy: 'required' (deploy fails without a "
                        + "signing key) or 'optional' (it publishes unsigned, with a warning)"
                        + Suggest.didYouMean(value, SIGNING));
            }
            required = "required".equals(value);
        }
        m.finish("signing");
        return new Manifest.Publish(required);
    }

    // ---------------------------------------------------------------- verify

    static final java.util.regex.Pattern MODULE = java.util.regex.Pattern.compile("[A-Za-z_]\\w*(\\.[A-Za-z_]\\w*)*");
    static final String MODULE_WHAT = "a module name such as 'ssl' or 'xml.parsers.expat'";
    private static final java.util.regex.Pattern BIN_GLOB = java.util.regex.Pattern.compile("[\\w.*?+-]+");

    private Manifest.Verify readVerify(YamlValue v) {
        if (v == null || v.mapping() == null) {
            return Manifest.Verify.DEFAULT;
        }
        Mapping m = v.mapping();
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        YamlValue modules = m.get("modules");
        if (modules != null && modules.mapping() != null) {
            Mapping mm = modules.mapping();
            AdjustmentReader.names(mm.get("add"), MODULE, MODULE_WHAT, add);
            AdjustmentReader.names(mm.get("remove"), MODULE, MODULE_WHAT, remove);
            mm.finish("add", "remove");
        }
        List<String> bin = new ArrayList<>();
        YamlValue bv = m.get("bin");
        if (bv != null) {
            AdjustmentReader.names(bv, BIN_GLOB, "a file name glob without '/', such as 'python3.*'", bin);
        }
        m.finish("modules", "bin");
        return new Manifest.Verify(List.copyOf(add), List.copyOf(remove), bv == null ? Manifest.Verify.DEFAULT.bin()
                : List.copyOf(bin));
    }

    // ---------------------------------------------------------------- distros, arches, versions

    private void readDistros(YamlValue v) {
        Mapping m = v == null ? null : v.mapping();
        if (m == null) {
            return;
        }
        for (Mapping.Entry e : m.entries()) {
            String id = e.key();
            if (!id.matches("[a-z][a-z0-9]*-[0-9][0-9.]*")) {
                problems.error(e.keyAt(), e.value().path(), "distro ids are <name>-<version>, such as debian-12 or "
                        + "ubuntu-24.04; found '" + Chars.shown(id) + "'");
                continue;
            }
            int dash = id.indexOf('-');
            Distro.Executor executor = Distro.Executor.HOST;
            String image = null;
            String runImage = null;
            List<String> packages = List.of();
            YamlValue body = e.value();
            if (!body.isNull()) {
                Mapping d = body.mapping();
                if (d == null) {
                    continue;
                }
                String ex = d.string("executor", "host");
                boolean known = ex.equals("host") || ex.equals("container");
                if (ex.equals("container")) {
                    executor = Distro.Executor.CONTAINER;
                } else if (!known) {
                    d.get("executor").error("expected 'host' or 'container', found '" + ex + "'"
                            + Suggest.didYouMean(ex, List.of("host", "container")));
                }
                image = d.string("image", null);
                if (image != null && !image.matches(ContainerEngine.IMAGE_NAME)) {
                    d.get("image").error("'" + Chars.shown(image) + "' is not a container image name, such as debian:12 or "
                            + "heroku/heroku:24-build (it reaches the engine's command line, where it must not read as "
                            + "an option or as more than one argument)");
                }
                // Whether 'image' belongs depends on the executor: unknown when it is misspelt or comes from a merge.
                if (known && !d.merged() && executor == Distro.Executor.CONTAINER && image == null) {
                    body.error("a container distro needs 'image', the build image to run in");
                }
                if (known && !d.merged() && executor == Distro.Executor.HOST && image != null) {
                    d.get("image").error("'image' is only used with 'executor: container'");
                }
                runImage = d.string("runImage", null);
                if (runImage != null && !runImage.matches(ContainerEngine.IMAGE_NAME)) {
                    d.get("runImage").error("'" + Chars.shown(runImage) + "' is not a container image name, such as "
                            + "python-runtime/debian-12-run or heroku/heroku:24");
                    runImage = null;
                }
                YamlValue p = d.get("packages");
                List<YamlValue> items = p == null ? null : p.list();
                if (items != null) {
                    List<String> names = new ArrayList<>();
                    for (YamlValue item : items) {
                        String pkg = item.string();
                        if (pkg != null && !pkg.matches("[a-z0-9][a-z0-9+.-]+(:[a-z0-9]+)?")) {
                            item.error("'" + pkg + "' is not a Debian package name (list each package as its own "
                                    + "item, such as libssl-dev)");
                        } else if (pkg != null) {
                            names.add(pkg);
                        }
                    }
                    packages = names;
                }
                d.finish("executor", "image", "runImage", "packages");
            }
            distros.put(id, new Distro(id, id.substring(0, dash), id.substring(dash + 1), executor, image, runImage,
                    List.copyOf(packages), e.keyAt()));
        }
        if (m.entries().isEmpty()) {
            v.error("list at least one distro, such as 'debian-12: { executor: host }'");
        }
    }

    private void readArches(YamlValue v) {
        List<YamlValue> items = v == null ? null : v.oneOrMany();
        if (items == null) {
            return;
        }
        for (YamlValue item : items) {
            String a = item.string();
            if (a == null) {
                continue;
            }
            if (!KNOWN_ARCHES.contains(a)) {
                item.error("unknown arch '" + a + "'" + Suggest.didYouMean(a, KNOWN_ARCHES)
                        + " (Debian names: " + String.join(", ", KNOWN_ARCHES) + ")");
            } else if (arches.contains(a)) {
                item.error("arch '" + a + "' is listed twice");
            } else {
                arches.add(a);
            }
        }
        if (items.isEmpty()) {
            v.error("list at least one arch, such as [amd64]");
        }
    }

    private void readVersions(YamlValue v) {
        List<YamlValue> items = v == null ? null : v.list();
        if (items == null) {
            return;
        }
        Map<String, Location> seen = new LinkedHashMap<>();
        for (YamlValue item : items) {
            Mapping m = item.mapping();
            if (m == null) {
                continue;
            }
            YamlValue vv = m.require("version", "such as 'version: 3.13.5'");
            YamlValue fv = m.require("file", "the upstream file name, such as Python-3.13.5.tar.xz");
            YamlValue sv = m.require("sha256", "the SHA-256 python.org publishes for the file");
            String signature = m.string("signature", null);
            m.finish("version", "file", "sha256", "signature");
            PythonVersion version = null;
            if (vv != null) {
                String text = vv.string();
                if (text != null) {
                    version = PythonVersion.parse(text).orElse(null);
                    if (version == null) {
                        vv.error("'" + text + "' is not a CPython release version; write major.minor.micro, "
                                + "such as 3.13.5 or 3.14.0rc1");
                    } else if (seen.containsKey(version.toString())) {
                        vv.error("version " + version + " is listed twice (first at line "
                                + seen.get(version.toString()).line() + "); keep one entry");
                        version = null;
                    } else {
                        seen.put(version.toString(), vv.at());
                    }
                }
            }
            String file = fv == null ? null : fv.string();
            if (file != null && version != null) {
                String stem = "Python-" + version;
                if (!file.equals(stem + ".tgz") && !file.equals(stem + ".tar.xz")) {
                    fv.error("expected the upstream file of " + version + ": " + stem + ".tgz or " + stem
                            + ".tar.xz, found '" + file + "'");
                    file = null;
                }
            }
            String sha = sv == null ? null : sv.string();
            if (sha != null && !sha.matches("[0-9a-fA-F]{64}")) {
                sv.error("a sha256 is 64 hex digits, found '" + sha + "' (" + sha256Mistake(sha) + ")");
                sha = null;
            }
            if (signature != null && file != null && !signature.equals(file + ".asc")
                    && !signature.equals(file + ".sigstore")) {
                m.get("signature").error("expected the detached signature " + file + ".asc (OpenPGP) or the Sigstore "
                        + "bundle " + file + ".sigstore, found '" + signature + "'");
            }
            if (version != null && file != null && sha != null) {
                versions.add(new Release(version, file, sha.toLowerCase(Locale.ROOT), signature, item.at()));
            }
        }
        if (items.isEmpty()) {
            v.error("list at least one CPython release");
        }
    }

    // ---------------------------------------------------------------- build, profiles, overrides

    private Manifest.Build readBuild(YamlValue v) {
        Mapping m = v == null ? null : v.mapping();
        if (v != null && m == null) {
            return null;
        }
        if (m == null) {
            return new Manifest.Build(new Template(DEFAULT_PREFIX), List.of(), "dpkg-buildflags", "",
                    Map.of(), Map.of(), List.of(), Set.of(), List.of());
        }
        Template prefix = template(m.get("prefix"), PREFIX_FIELDS, DEFAULT_PREFIX);
        YamlValue pv = m.get("prefix");
        if (pv != null && prefix != null && !prefix.text().startsWith("/")) {
            pv.error("the install prefix must be an absolute path, found '" + Chars.shown(prefix.text()) + "'");
        } else if (pv != null && prefix != null) {
            String shape = prefix.text().replaceAll(PLACEHOLDER, "x");
            int bad = firstOutside(shape, PATH_CHARS);
            List<String> segments = List.of(shape.substring(1).split("/", -1));
            if (bad >= 0) {
                pv.error("the install prefix becomes configure's --prefix, the rpath and every path in sysconfig: "
                        + Chars.name(shape.codePointAt(bad)) + " is not allowed in it, found '" + Chars.shown(prefix.text())
                        + "' (use letters, digits, '/', '.', '_', '+' and '-')");
            } else if (segments.contains("..") || segments.contains(".") || segments.contains("")) {
                pv.error("the install prefix must be a plain absolute path, without '.', '..', '//' or a trailing "
                        + "'/', found '" + prefix.text() + "' (such as " + DEFAULT_PREFIX + ")");
            }
        }
        List<String> configure = new ArrayList<>();
        YamlValue cv = m.get("configure");
        if (cv != null) {
            List<YamlValue> items = cv.list();
            if (items != null) {
                for (YamlValue item : items) {
                    String arg = adjustments.configureArg(item);
                    if (arg != null) {
                        configure.add(arg);
                    }
                }
            }
        }
        String from = "dpkg-buildflags";
        String maint = "";
        Map<FlagKind, Edit> flags = new EnumMap<>(FlagKind.class);
        Set<String> accept = new LinkedHashSet<>();
        YamlValue fv = m.get("flags");
        if (fv != null) {
            Mapping f = fv.mapping();
            if (f != null) {
                from = f.string("from", from);
                if (!FLAG_SOURCES.contains(from)) {
                    f.get("from").error("expected one of " + FLAG_SOURCES + ", found '" + from + "'"
                            + Suggest.didYouMean(from, FLAG_SOURCES));
                }
                YamlValue mo = f.get("maintOptions");
                if (mo != null) {
                    String s = mo.text("a string of DEB_BUILD_MAINT_OPTIONS, such as \"hardening=+all\"");
                    if (s != null) {
                        maint = s.trim();
                        if (!maint.matches("([a-z]+=[+-]?[a-z,+-]+(\\s+|$))*")) {
                            mo.error("expected DEB_BUILD_MAINT_OPTIONS such as \"hardening=+all\" or "
                                    + "\"hardening=+bindnow optimize=-lto\", found '" + s + "'");
                        }
                    }
                }
                for (FlagKind kind : FlagKind.values()) {
                    Edit e = adjustments.edit(f.get(kind.manifestKey()), false);
                    if (e != null) {
                        flags.put(kind, e);
                    }
                }
                accept.addAll(adjustments.accept(f.get("accept")));
                f.finish("from", "maintOptions", "cflags", "cppflags", "ldflags", "accept");
            }
        }
        Map<String, String> make = adjustments.make(m.get("make"));
        List<String> cleanup = adjustments.cleanup(m.get("cleanup"));
        List<String> builtin = new ArrayList<>();
        AdjustmentReader.names(m.get("builtinModules"), AdjustmentReader.EXTENSION, AdjustmentReader.EXTENSION_WHAT,
                builtin);
        m.finish("prefix", "configure", "flags", "make", "cleanup", "builtinModules");
        return prefix == null ? null : new Manifest.Build(prefix, List.copyOf(configure), from, maint,
                java.util.Collections.unmodifiableMap(flags), make, cleanup, Set.copyOf(accept),
                List.copyOf(new LinkedHashSet<>(builtin)));
    }

    /** A single variant's name, and the reserved one. */
    private static final java.util.regex.Pattern VARIANT_WORD = java.util.regex.Pattern.compile("[a-z][a-z0-9]*");

    /**
     * {@code variants:}: name -> {@code versions} (selectors, optional), {@code description}, and what a profile can
     * change. A name joined with {@code +} combines variants declared before it.
     */
    private void readVariants(YamlValue v) {
        Mapping m = v == null ? null : v.mapping();
        if (m == null) {
            return;
        }
        for (Mapping.Entry e : m.entries()) {
            String name = e.key();
            List<String> parts = List.of(name.split("\\+", -1));
            if (parts.stream().anyMatch(p -> !VARIANT_WORD.matcher(p).matches())) {
                problems.error(e.keyAt(), e.value().path(), "a variant's name is a lower-case word, such as "
                        + "freethreaded, or declared variants joined with '+', such as freethreaded+debug; found '"
                        + Chars.shown(name) + "'");
                continue;
            }
            if (parts.contains(Variant.DEFAULT)) {
                problems.error(e.keyAt(), e.value().path(), "'" + Variant.DEFAULT + "' is the build without a variant, "
                        + "which every release has; give this variant another name");
                continue;
            }
            List<String> combined = parts.size() == 1 ? List.of() : parts;
            boolean partsOk = true;
            for (String part : combined) {
                if (!variants.containsKey(part)) {
                    problems.error(e.keyAt(), e.value().path(), "variant '" + name + "' combines '" + part + "', which "
                            + "is not declared above it" + Suggest.didYouMean(part, variants.keySet())
                            + (Suggest.didYouMean(part, variants.keySet()).isEmpty() ? "." : "") + " Declare each part "
                            + "as a variant of its own above the combination");
                    partsOk = false;
                }
            }
            if (new LinkedHashSet<>(parts).size() != parts.size()) {
                problems.error(e.keyAt(), e.value().path(), "variant '" + name + "' names a part twice");
                partsOk = false;
            }
            Mapping p = e.value().mapping();
            if (p == null) {
                continue;
            }
            YamlValue dv = p.get("description");
            String description = dv == null ? null : dv.prose();
            List<VersionSpec> specs = versionSpecs(p.get("versions"));
            Adjustment adjust = adjustments.adjustment(p);
            String[] keys = java.util.stream.Stream.concat(java.util.stream.Stream.of("description", "versions"),
                    java.util.Arrays.stream(AdjustmentReader.ADJUSTMENT_KEYS)).toArray(String[]::new);
            p.finish(keys);
            if (!partsOk) {
                continue;
            }
            if (combined.isEmpty() && !changesTheBuild(adjust)) {
                problems.error(e.keyAt(), e.value().path(), "variant '" + name + "' changes nothing that is built "
                        + "(configure, flags, make, builtinModules or cleanup), so its archives would be the default "
                        + "build's under another name; give it what makes it, such as "
                        + "'configure: { add: [ --disable-gil ] }'");
                continue;
            }
            String same = variants.values().stream().filter(o -> !combined.isEmpty()
                    && new java.util.HashSet<>(o.parts()).equals(new java.util.HashSet<>(combined)))
                    .map(Variant::name).findFirst().orElse(null);
            if (same != null) {
                problems.error(e.keyAt(), e.value().path(), "variant '" + name + "' combines the same variants as '"
                        + same + "', so both would build the same runtime; keep one");
                continue;
            }
            Variant variant = new Variant(name, description, e.keyAt(), specs, combined, adjust);
            PythonVersion tooOld = versions.stream().map(Release::version)
                    .filter(r -> Variant.of(r, withThis(variant)).contains(name) && r.compareTo(FREE_THREADED_SINCE) < 0)
                    .filter(r -> freeThreaded(variant)).findFirst().orElse(null);
            if (tooOld != null) {
                problems.error(e.keyAt(), e.value().path(), "variant '" + name + "' builds with " + DISABLE_GIL
                        + ", which CPython has from 3.13 (PEP 703), and it applies to " + tooOld + "; give it "
                        + "'versions: \">=3.13\"'");
                continue;
            }
            if (versions.stream().noneMatch(r -> Variant.of(r.version(), withThis(variant)).contains(name))) {
                problems.warning(e.keyAt(), "variants." + name, "no release of this manifest has it (its 'versions', "
                        + "and its parts', match none of 'versions'); fix its versions or remove it");
            }
            variants.put(name, variant);
        }
    }

    /** configure's switch for a free-threaded build, and the first release that has it. */
    private static final String DISABLE_GIL = "--disable-gil";
    private static final PythonVersion FREE_THREADED_SINCE = new PythonVersion(3, 13, 0, "a1");

    /** Whether a variant (or one of a combination's parts) adds {@code --disable-gil}. */
    private boolean freeThreaded(Variant v) {
        return java.util.stream.Stream.concat(v.parts().stream().map(variants::get), java.util.stream.Stream.of(v))
                .anyMatch(x -> x.adjust().configure().add().stream().anyMatch(a -> a.equals(DISABLE_GIL)
                        || a.startsWith(DISABLE_GIL + "=")));
    }

    /** Whether an adjustment changes what is built (not only what verify accepts or requires). */
    private static boolean changesTheBuild(Adjustment a) {
        return !a.configure().isEmpty() || a.flags().values().stream().anyMatch(x -> !x.isEmpty()) || !a.make().isEmpty()
                || !a.builtinModules().isEmpty() || !a.cleanup().isEmpty();
    }

    /** The variants read so far, and {@code v}. */
    private Map<String, Variant> withThis(Variant v) {
        Map<String, Variant> all = new LinkedHashMap<>(variants);
        all.put(v.name(), v);
        return all;
    }

    /** Version selectors: one string or a list of them. */
    private static List<VersionSpec> versionSpecs(YamlValue vv) {
        List<VersionSpec> specs = new ArrayList<>();
        if (vv != null && vv.oneOrMany() != null) {
            for (YamlValue item : vv.oneOrMany()) {
                String s = item.string();
                if (s == null) {
                    continue;
                }
                VersionSpec.Result r = VersionSpec.parse(s);
                if (r.error() != null) {
                    item.error(r.error());
                } else {
                    specs.add(r.spec());
                }
            }
        }
        return List.copyOf(specs);
    }

    private void readProfiles(YamlValue v) {
        Mapping m = v == null ? null : v.mapping();
        if (m == null) {
            return;
        }
        for (Mapping.Entry e : m.entries()) {
            if (!e.key().matches("[a-z][a-z0-9-]*")) {
                problems.error(e.keyAt(), e.value().path(), "profile names are lower-case words, such as quick; found '"
                        + Chars.shown(e.key()) + "'");
                continue;
            }
            Mapping p = e.value().mapping();
            if (p == null) {
                continue;
            }
            YamlValue dv = p.get("description");
            String description = dv == null ? null : dv.prose();
            Adjustment adjust = adjustments.adjustment(p);
            String[] keys = java.util.stream.Stream.concat(java.util.stream.Stream.of("description"),
                    java.util.Arrays.stream(AdjustmentReader.ADJUSTMENT_KEYS)).toArray(String[]::new);
            p.finish(keys);
            profiles.put(e.key(), new Profile(e.key(), description, e.keyAt(), adjust));
        }
    }

    private List<OverrideRule> readOverrides(YamlValue v) {
        List<YamlValue> items = v == null ? null : v.list();
        if (items == null) {
            return List.of();
        }
        List<OverrideRule> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            YamlValue item = items.get(i);
            Mapping m = item.mapping();
            if (m == null) {
                continue;
            }
            Selector when = selector(m.require("when", "say which targets it applies to, such as "
                    + "'when: { version: \">=3.12\" }'"));
            boolean exclude = false;
            YamlValue ex = m.get("exclude");
            if (ex != null) {
                Boolean b = ex.bool();
                exclude = b != null && b;
            }
            String reason = m.string("reason", null);
            Adjustment adjust = adjustments.adjustment(m);
            String[] keys = java.util.stream.Stream.concat(java.util.stream.Stream.of("when", "exclude", "reason"),
                    java.util.Arrays.stream(AdjustmentReader.ADJUSTMENT_KEYS)).toArray(String[]::new);
            m.finish(keys);
            if (exclude && !AdjustmentReader.isEmpty(adjust)) {
                item.error("an override with 'exclude: true' drops its targets, so its other changes would never "
                        + "apply; move them into an override of their own");
            }
            if (when != null) {
                out.add(new OverrideRule(i, item.at(), when, exclude, reason, adjust));
            }
        }
        return List.copyOf(out);
    }

    private Selector selector(YamlValue v) {
        Mapping m = v == null ? null : v.mapping();
        if (m == null) {
            return null;
        }
        List<VersionSpec> specs = versionSpecs(m.get("version"));
        List<String> ds = names(m.get("distro"), distros.keySet(), List.of(), "distro", "distros");
        List<String> known = new ArrayList<>();
        known.add(Variant.DEFAULT);
        known.addAll(variants.keySet());
        List<String> vs = names(m.get("variant"), known, List.of(), "variant", "variants");
        List<String> as = names(m.get("arch"), arches, KNOWN_ARCHES, "arch", "arches");
        List<String> ps = new ArrayList<>();
        YamlValue pv = m.get("profile");
        if (pv != null && pv.oneOrMany() != null) {
            for (YamlValue item : pv.oneOrMany()) {
                String s = item.string();
                if (s != null && !profiles.containsKey(s)) {
                    item.error("no profile '" + s + "' in this manifest" + Suggest.didYouMean(s, profiles.keySet())
                            + " (profiles: " + String.join(", ", profiles.keySet()) + ")");
                } else if (s != null) {
                    ps.add(s);
                }
            }
        }
        m.finish("version", "variant", "distro", "arch", "profile");
        if (!m.has("version") && !m.has("variant") && !m.has("distro") && !m.has("arch") && !m.has("profile")) {
            v.error("'when' must name at least one of version, variant, distro, arch, profile");
            return null;
        }
        return new Selector(specs, ds, as, vs, List.copyOf(ps));
    }

    /**
     * Names or globs that must each match something declared under {@code declaredIn}. A name that is valid but
     * not declared ({@code valid}) is not a typo, so it gets no "did you mean".
     */
    private List<String> names(YamlValue v, java.util.Collection<String> known, List<String> valid, String what,
                               String declaredIn) {
        List<String> out = new ArrayList<>();
        if (v == null || v.oneOrMany() == null) {
            return out;
        }
        for (YamlValue item : v.oneOrMany()) {
            String s = item.string();
            if (s == null) {
                continue;
            }
            if (known.stream().noneMatch(k -> Selector.glob(s, k))) {
                item.error("no " + what + " '" + s + "' is declared under '" + declaredIn + "'"
                        + (valid.contains(s) ? "" : Suggest.didYouMean(s, known))
                        + " (declared: " + String.join(", ", known) + ")");
            } else {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    private void warnUnmatched(List<OverrideRule> overrides) {
        for (OverrideRule o : overrides) {
            boolean any = versions.stream().anyMatch(r -> variantsOf(r.version()).stream().anyMatch(x -> distros
                    .keySet().stream().anyMatch(d -> arches.stream().anyMatch(a -> o.when().matchesTarget(r.version(),
                            x, d, a)))));
            if (!any) {
                problems.warning(o.at(), "overrides[" + o.index() + "]", "matches no target of this manifest "
                        + "(versions x variants x distros x arches); fix its 'when' or remove it");
            }
        }
    }

}
