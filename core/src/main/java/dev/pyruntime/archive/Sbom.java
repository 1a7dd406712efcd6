package dev.pyruntime.archive;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import dev.pyruntime.AtomicFiles;
import dev.pyruntime.compile.BundledSources;
import dev.pyruntime.compile.RuntimeContents;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;
import org.cyclonedx.parsers.JsonParser;

/**
 * The SBOM of a runtime archive: a CycloneDX 1.6 JSON document ({@code <archive base>.cdx.json}) made with CycloneDX's
 * own library from the archive's metadata. It lists:
 * <ul>
 *   <li>the archive itself as the document's subject, with its SHA-256;</li>
 *   <li>CPython, with its source URL and SHA-256 and its license, {@code PSF-2.0};</li>
 *   <li>the third-party code the release bundles and the build compiled in, as the release's own sources say
 *       ({@link BundledSources});</li>
 *   <li>each distro package whose libraries the runtime loads, as {@code pkg:deb/debian/<name>@<version>?arch=...},
 *       at the version that was installed where it was built (what {@code compile} recorded, read from dpkg);</li>
 *   <li>the toolchain that built it (gcc, binutils, glibc, dpkg-dev) and python-runtime, as tools.</li>
 * </ul>
 * The same archive gives the same document: its timestamp is the archive's entry time and its serial number is
 * derived from the archive's checksum.
 */
public final class Sbom {
    public static final Version VERSION = Version.VERSION_16;
    public static final String SUFFIX = ".cdx.json";
    static final String RUNTIME_REF = "runtime";
    static final String CPYTHON_REF = "cpython";

    private Sbom() {
    }

    /** The SBOM file of an archive: {@code python-3.11.2-debian-12-amd64.tar.zst} -> {@code python-3.11.2-debian-12-amd64.cdx.json}. */
    public static Path fileFor(Path archive) {
        return archive.resolveSibling(nameFor(archive.getFileName().toString()));
    }

    public static String nameFor(String archiveName) {
        return archiveName.substring(0, archiveName.length() - ".tar.zst".length()) + SUFFIX;
    }

    /** The SBOM of the archive {@code meta} describes, as JSON. */
    public static byte[] of(ArchiveMetadata meta, List<String> sourceUrls) throws IOException {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(("python-runtime sbom " + meta.sha256())
                .getBytes(StandardCharsets.UTF_8)));
        bom.setVersion(1);
        Metadata metadata = new Metadata();
        metadata.setTimestamp(new Date(meta.entryTime() * 1000));
        Component runtime = new Component();
        runtime.setType(Component.Type.APPLICATION);
        runtime.setBomRef(RUNTIME_REF);
        runtime.setName(meta.archive().substring(0, meta.archive().length() - ".tar.zst".length()));
        runtime.setVersion(meta.version());
        boolean variant = meta.variant() != null && !meta.variant().equals(dev.pyruntime.manifest.Variant.DEFAULT);
        runtime.setDescription("CPython " + meta.version() + (variant ? " " + meta.variant() : "") + " runtime for "
                + meta.distro() + " " + meta.arch() + ", built by python-runtime (target " + meta.target() + ")");
        runtime.addHash(new Hash(Hash.Algorithm.SHA_256, meta.sha256()));
        List<org.cyclonedx.model.Property> properties = new ArrayList<>(List.of(property("python-runtime:target",
                meta.target()), property("python-runtime:planFingerprint", meta.planFingerprint())));
        if (meta.variant() != null) {
            properties.add(property("python-runtime:variant", meta.variant()));
        }
        runtime.setProperties(properties);
        metadata.setComponent(runtime);
        ToolInformation tools = new ToolInformation();
        List<Component> toolComponents = new ArrayList<>();
        toolComponents.add(tool("python-runtime-maven-plugin", meta.pluginVersion(),
                maven("dev.pyruntime", "python-runtime-maven-plugin", meta.pluginVersion())));
        Map<String, String> toolchain = meta.toolchain() == null ? Map.of() : new TreeMap<>(meta.toolchain());
        for (Map.Entry<String, String> t : toolchain.entrySet()) {
            toolComponents.add(toolchainTool(t.getKey(), t.getValue(), meta));
        }
        tools.setComponents(toolComponents);
        metadata.setToolChoice(tools);
        bom.setMetadata(metadata);

        List<Component> components = new ArrayList<>();
        Component cpython = new Component();
        cpython.setType(Component.Type.FRAMEWORK);
        cpython.setBomRef(CPYTHON_REF);
        cpython.setName("cpython");
        cpython.setVersion(meta.version());
        cpython.setSupplier(organization("Python Software Foundation"));
        cpython.setLicenses(license("PSF-2.0"));
        cpython.setPurl(purl("generic", null, "cpython", meta.version(), sourceUrls.isEmpty() ? Map.of()
                : Map.of("download_url", sourceUrls.get(0))));
        cpython.setCpe("cpe:2.3:a:python:python:" + meta.version() + ":*:*:*:*:*:*:*");
        cpython.addHash(new Hash(Hash.Algorithm.SHA_256, meta.sourceSha256()));
        for (String url : sourceUrls) {
            ExternalReference source = new ExternalReference();
            source.setType(ExternalReference.Type.DISTRIBUTION);
            source.setUrl(url);
            source.setComment(meta.sourceFile());
            source.addHash(new Hash(Hash.Algorithm.SHA_256, meta.sourceSha256()));
            cpython.addExternalReference(source);
        }
        components.add(cpython);
        RuntimeContents contents = meta.runtime();
        Dependency root = new Dependency(RUNTIME_REF);
        root.addDependency(new Dependency(CPYTHON_REF));
        Dependency cpythonDeps = new Dependency(CPYTHON_REF);
        if (contents != null && contents.bundled() != null) {
            for (BundledSources.Bundled b : contents.bundled()) {
                Component c = new Component();
                c.setType(Component.Type.LIBRARY);
                c.setBomRef("bundled:" + b.name());
                c.setName(b.name());
                c.setVersion(b.version());
                if (b.license() != null) {
                    c.setLicenses(license(b.license()));
                }
                if (b.purl() != null) {
                    c.setPurl(b.purl());
                }
                if (b.cpe() != null) {
                    c.setCpe(b.cpe());
                }
                c.setProperties(List.of(property("python-runtime:bundledIn", "cpython " + meta.version()),
                        property("python-runtime:declaredBy", b.source())));
                components.add(c);
                cpythonDeps.addDependency(new Dependency(c.getBomRef()));
            }
        }
        if (contents != null && contents.packages() != null) {
            for (RuntimeContents.RuntimePackage p : contents.packages()) {
                Component c = new Component();
                c.setType(Component.Type.LIBRARY);
                c.setName(p.name());
                c.setVersion(p.version());
                c.setPurl(deb(p.name(), p.version(), meta));
                c.setBomRef(c.getPurl());
                c.setScope(Component.Scope.REQUIRED);
                c.setProperties(List.of(property("python-runtime:loads", String.join(" ", p.libraries()))));
                components.add(c);
                root.addDependency(new Dependency(c.getBomRef()));
            }
        }
        bom.setComponents(components);
        bom.setDependencies(new ArrayList<>(List.of(root, cpythonDeps)));
        String json;
        try {
            json = BomGeneratorFactory.createJson(VERSION, bom).toJsonString();
        } catch (GeneratorException e) {
            throw new IOException("the SBOM of " + meta.archive() + " cannot be written: " + e.getMessage(), e);
        }
        byte[] bytes = (json.strip() + "\n").getBytes(StandardCharsets.UTF_8);
        List<String> invalid = validate(bytes);
        if (!invalid.isEmpty()) {
            throw new IOException("the SBOM made for " + meta.archive() + " does not validate against the CycloneDX "
                    + VERSION.getVersionString() + " schema: " + invalid);
        }
        return bytes;
    }

    /** Writes the SBOM of {@code meta}'s archive beside it (atomically). */
    public static Path write(Path archive, ArchiveMetadata meta, List<String> sourceUrls) throws IOException {
        Path file = fileFor(archive);
        AtomicFiles.write(file, of(meta, sourceUrls));
        return file;
    }

    /** What the CycloneDX 1.6 JSON schema finds wrong with {@code json}; empty when it validates. */
    public static List<String> validate(byte[] json) throws IOException {
        List<String> out = new ArrayList<>();
        for (ParseException e : new JsonParser().validate(json, VERSION)) {
            out.add(e.getMessage());
        }
        return out;
    }

    /** The package URL of a Debian package of the runtime's distro and arch. */
    public static String deb(String name, String version, ArchiveMetadata meta) {
        return purl("deb", meta.distroName(), name, version, Map.of("arch", meta.arch(), "distro", meta.distro()));
    }

    private static String purl(String type, String namespace, String name, String version, Map<String, String> q) {
        try {
            return new PackageURL(type, namespace, name, version, q.isEmpty() ? null : new TreeMap<>(q), null)
                    .canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new IllegalArgumentException("no package URL for " + name + " " + version + ": " + e.getMessage(), e);
        }
    }

    private static String maven(String group, String artifact, String version) {
        return purl("maven", group, artifact, version, Map.of());
    }

    /** "12.2.0 (gcc-12 12.2.0-14+deb12u1)" names the package and its version in brackets; others are a version. */
    private static final Pattern PACKAGED = Pattern.compile(".*\\(([a-z0-9][a-z0-9+.-]*) ([^ )]+)\\)");

    private static Component toolchainTool(String name, String version, ArchiveMetadata meta) {
        Matcher m = PACKAGED.matcher(version);
        String pkg = m.matches() ? m.group(1) : switch (name) {
            case "glibc" -> "libc6";
            default -> name;
        };
        String pkgVersion = m.matches() ? m.group(2) : version.strip();
        Component c = tool(name, version, pkgVersion.matches("[0-9][A-Za-z0-9.+~:-]*") ? deb(pkg, pkgVersion, meta) : null);
        return c;
    }

    private static Component tool(String name, String version, String purl) {
        Component c = new Component();
        c.setType(Component.Type.APPLICATION);
        c.setName(name);
        c.setVersion(version);
        if (purl != null) {
            c.setPurl(purl);
        }
        return c;
    }

    private static Property property(String name, String value) {
        Property p = new Property();
        p.setName(name);
        p.setValue(value == null ? "" : value);
        return p;
    }

    private static LicenseChoice license(String spdx) {
        LicenseChoice choice = new LicenseChoice();
        // An id must be one of the SPDX list the schema carries; what a release declares goes as an expression.
        if (spdx.equals("PSF-2.0")) {
            License l = new License();
            l.setId(spdx);
            choice.addLicense(l);
        } else {
            choice.setExpression(new org.cyclonedx.model.license.Expression(spdx));
        }
        return choice;
    }

    private static org.cyclonedx.model.OrganizationalEntity organization(String name) {
        org.cyclonedx.model.OrganizationalEntity o = new org.cyclonedx.model.OrganizationalEntity();
        o.setName(name);
        return o;
    }
}
