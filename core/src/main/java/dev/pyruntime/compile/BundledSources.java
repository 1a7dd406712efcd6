package dev.pyruntime.compile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyruntime.SmallFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The third-party code that a CPython release bundles and a build compiled in, as the release's own sources say:
 * {@code Misc/sbom.spdx.json} (CPython 3.12 and later), or, for a release without it, the version macros of the two
 * libraries every release bundles ({@code Modules/_decimal/libmpdec/mpdecimal.h}, {@code Modules/expat/expat.h}). A
 * bundled library that the build took from the distro instead (the runtime loads the distro's {@code libmpdec3},
 * {@code libexpat1} or {@code libb2-1}) is left out: the distro package is listed then.
 */
public final class BundledSources {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The SPDX name of a bundled library, and the distro package that replaces it when the build uses the system's. */
    private static final Map<String, String> REPLACED_BY = Map.of("mpdecimal", "libmpdec3", "expat", "libexpat1",
            "libb2", "libb2-1");
    static final String SPDX = "Misc/sbom.spdx.json";

    private BundledSources() {
    }

    /**
     * One bundled library.
     *
     * @param name    its name, as the release's SBOM names it
     * @param version its version (a commit id for some)
     * @param license its SPDX license expression, or null when the release does not say
     * @param purl    its package URL, or null
     * @param cpe     its CPE 2.3 name, or null
     * @param source  the file of the release that says so
     */
    public record Bundled(String name, String version, String license, String purl, String cpe, String source) {
    }

    /**
     * Reads what the release in {@code sourceTree} bundles.
     *
     * @param systemPackages the distro packages the built runtime loads
     */
    public static List<Bundled> read(Path sourceTree, Set<String> systemPackages) throws IOException {
        Map<String, Bundled> out = new java.util.LinkedHashMap<>();
        Path spdx = sourceTree.resolve(SPDX);
        if (Files.isRegularFile(spdx)) {
            JsonNode root = JSON.readTree(SmallFiles.readString(spdx, 8 << 20, "SPDX document"));
            for (JsonNode p : root.path("packages")) {
                String name = p.path("name").asText();
                String purl = null;
                String cpe = null;
                for (JsonNode ref : p.path("externalRefs")) {
                    switch (ref.path("referenceType").asText()) {
                        case "purl" -> purl = ref.path("referenceLocator").asText(null);
                        case "cpe23Type" -> cpe = ref.path("referenceLocator").asText(null);
                        default -> { }
                    }
                }
                String license = p.path("licenseConcluded").asText("NOASSERTION");
                out.put(name, new Bundled(name, p.path("versionInfo").asText(""), license.equals("NOASSERTION") ? null
                        : license, purl, cpe, SPDX));
            }
        }
        // The headers are what is compiled: their version wins where the release's SBOM lags behind (3.13.5's says
        // expat 2.6.3 while it bundles 2.7.1).
        Path mpdec = sourceTree.resolve("Modules/_decimal/libmpdec/mpdecimal.h");
        if (Files.isRegularFile(mpdec)) {
            Matcher m = Pattern.compile("#\\s*define\\s+MPD_VERSION\\s+\"([^\"]+)\"").matcher(Files.readString(mpdec));
            if (m.find()) {
                fromHeader(out, "mpdecimal", m.group(1), "BSD-2-Clause", "cpe:2.3:a:bytereef:mpdecimal:%s:*:*:*:*:*:*:*",
                        sourceTree.relativize(mpdec).toString());
            }
        }
        Path expat = sourceTree.resolve("Modules/expat/expat.h");
        if (Files.isRegularFile(expat)) {
            String text = Files.readString(expat);
            String version = macro(text, "XML_MAJOR_VERSION") + "." + macro(text, "XML_MINOR_VERSION") + "."
                    + macro(text, "XML_MICRO_VERSION");
            if (!version.contains("null")) {
                fromHeader(out, "expat", version, "MIT", "cpe:2.3:a:libexpat_project:libexpat:%s:*:*:*:*:*:*:*",
                        sourceTree.relativize(expat).toString());
            }
        }
        List<Bundled> kept = new ArrayList<>();
        for (Bundled b : out.values()) {
            String replacement = REPLACED_BY.get(b.name());
            if (replacement == null || !systemPackages.contains(replacement)) {
                kept.add(b);
            }
        }
        return kept;
    }

    private static void fromHeader(Map<String, Bundled> out, String name, String version, String license, String cpe,
                                   String header) {
        Bundled declared = out.get(name);
        if (declared != null && declared.version().equals(version)) {
            return;
        }
        String source = declared == null ? header : header + " (" + SPDX + " says " + declared.version() + ")";
        out.put(name, new Bundled(name, version, declared != null && declared.license() != null ? declared.license()
                : license, null, String.format(cpe, version), source));
    }

    private static String macro(String header, String name) {
        Matcher m = Pattern.compile("#\\s*define\\s+" + name + "\\s+(\\d+)").matcher(header);
        return m.find() ? m.group(1) : null;
    }
}
