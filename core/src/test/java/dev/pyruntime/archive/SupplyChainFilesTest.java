package dev.pyruntime.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyruntime.Sha256;
import dev.pyruntime.compile.RuntimeContents;
import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.PlanJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SBOM and provenance written beside an archive, made from what compile records on this machine: a tree whose
 * ELF file loads the host's libssl3, read with the host's ldd and dpkg as compile reads it, and bundled code read from
 * a release's headers. The SBOM must pass CycloneDX's own 1.6 schema and name libssl3 at the version dpkg-query
 * reports; the provenance must name the archive's digest.
 */
class SupplyChainFilesTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path LIBSSL = Path.of("/usr/lib/x86_64-linux-gnu/libssl.so.3");
    @TempDir
    Path tmp;
    BuildPlan plan;
    ArchiveMetadata meta;
    Path archive;

    @BeforeEach
    void aPackedArchive() throws Exception {
        assumeTrue(Files.isRegularFile(LIBSSL), "this machine has no libssl3 to link");
        plan = PlanJson.read(Path.of("src/test/resources/installed/3.11.2/plan.json"));
        Path staging = Files.createDirectories(tmp.resolve("staging/lib"));
        Files.copy(LIBSSL, staging.resolve("libssl-copy.so"));
        Path python = Files.createDirectories(tmp.resolve("staging/bin")).resolve("python3.11");
        Files.writeString(python, "#!/bin/sh\necho sys\n");
        python.toFile().setExecutable(true);
        Path source = tmp.resolve("source");
        Files.createDirectories(source.resolve("Modules/_decimal/libmpdec"));
        Files.createDirectories(source.resolve("Modules/expat"));
        Files.writeString(source.resolve("Modules/_decimal/libmpdec/mpdecimal.h"), "#define MPD_VERSION \"2.5.1\"\n");
        Files.writeString(source.resolve("Modules/expat/expat.h"), "#define XML_MAJOR_VERSION 2\n"
                + "#define XML_MINOR_VERSION 5\n#define XML_MICRO_VERSION 0\n");
        RuntimeContents contents = RuntimeContents.detect(new HostEnvironment(HostInfo.detect()),
                tmp.resolve("staging"), "python3.11", "python3.11").withBundled(source);
        archive = Files.writeString(tmp.resolve(plan.archive().name()), "archive bytes");
        TarZst.Written written = new TarZst.Written(archive, Sha256.of(archive), Files.size(archive), 1);
        meta = ArchiveMetadata.of(plan, written, 1_675_777_962L, 1_700_000_000L, Map.of("gcc",
                "12.2.0 (gcc-12 12.2.0-14+deb12u1)", "binutils", "2.40-2", "glibc", "2.36-9+deb12u14", "dpkg-dev",
                "1.21.23"), contents, null);
        meta.write(ArchiveMetadata.fileFor(archive), null);
    }

    static String dpkgVersion(String pkg) throws Exception {
        // One line per installed arch (a multiarch host may have libssl3:arm64 too); Multi-Arch: same packages have one
        // version across arches.
        Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}\n", pkg).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor());
        return out.lines().findFirst().orElse("");
    }

    @Test
    void theSbomValidatesAgainstCycloneDx16AndNamesEveryPartAtItsVersion() throws Exception {
        byte[] sbom = Files.readAllBytes(Sbom.write(archive, meta, plan.source().urls()));
        assertEquals(List.of(), Sbom.validate(sbom));
        JsonNode doc = JSON.readTree(sbom);
        assertEquals("1.6", doc.get("specVersion").asText());
        assertEquals(meta.sha256(), doc.at("/metadata/component/hashes/0/content").asText());

        Map<String, JsonNode> byName = new java.util.TreeMap<>();
        doc.get("components").forEach(c -> byName.put(c.get("name").asText(), c));
        String ssl = dpkgVersion("libssl3");
        assertEquals("pkg:deb/debian/libssl3@" + ssl.replace("~", "~") + "?arch=amd64&distro=debian-12",
                byName.get("libssl3").get("purl").asText().replace("%7E", "~"));
        assertEquals(ssl, byName.get("libssl3").get("version").asText());
        JsonNode cpython = byName.get("cpython");
        assertEquals("3.11.2", cpython.get("version").asText());
        assertEquals("PSF-2.0", cpython.at("/licenses/0/license/id").asText());
        assertEquals(plan.source().sha256(), cpython.at("/hashes/0/content").asText());
        assertEquals(plan.source().urls().get(0), cpython.at("/externalReferences/0/url").asText());
        assertEquals("2.5.1", byName.get("mpdecimal").get("version").asText());
        assertEquals("2.5.0", byName.get("expat").get("version").asText());
        List<String> tools = new ArrayList<>();
        doc.at("/metadata/tools/components").forEach(t -> tools.add(t.get("name").asText()));
        assertEquals(List.of("python-runtime-maven-plugin", "binutils", "dpkg-dev", "gcc", "glibc"), tools);
        assertTrue(doc.at("/metadata/tools/components/3/purl").asText().startsWith("pkg:deb/debian/gcc-12@12.2.0-14"),
                doc.at("/metadata/tools/components/3").toString());

        // The schema check can fail: a document without its format's name is not CycloneDX.
        String broken = new String(sbom, StandardCharsets.UTF_8).replace("\"bomFormat\"", "\"bomFormatt\"");
        assertFalse(Sbom.validate(broken.getBytes(StandardCharsets.UTF_8)).isEmpty());
        // The same archive gives the same document.
        assertEquals(new String(sbom, StandardCharsets.UTF_8), new String(Sbom.of(meta, plan.source().urls()),
                StandardCharsets.UTF_8));
    }

    @Test
    void theProvenanceNamesTheArchiveItsSourceItsPlanAndTheFilesBesideIt() throws Exception {
        Path sbom = Sbom.write(archive, meta, plan.source().urls());
        Path metadata = ArchiveMetadata.fileFor(archive);
        Provenance.ManifestOrigin origin = new Provenance.ManifestOrigin("manifests/python.yaml", "a".repeat(40), false);
        JsonNode statement = JSON.readTree(Files.readAllBytes(Provenance.write(archive, plan, meta, origin,
                List.of(metadata, sbom))));
        assertEquals(Provenance.STATEMENT_TYPE, statement.get("_type").asText());
        assertEquals(Provenance.PREDICATE_TYPE, statement.get("predicateType").asText());
        assertEquals(archive.getFileName().toString(), statement.at("/subject/0/name").asText());
        assertEquals(Sha256.of(archive), statement.at("/subject/0/digest/sha256").asText());
        JsonNode definition = statement.at("/predicate/buildDefinition");
        assertEquals(plan.source().sha256(), definition.at("/resolvedDependencies/0/digest/sha256").asText());
        assertEquals(plan.fingerprint(), definition.at("/internalParameters/planFingerprint").asText());
        assertEquals("a".repeat(40), definition.at("/externalParameters/manifest/commit").asText());
        JsonNode configure = definition.at("/internalParameters/configure/0");
        assertEquals(plan.configure().get(0).value(), configure.get("value").asText());
        assertEquals(plan.configure().get(0).origin(), configure.get("origin").asText());
        JsonNode byproducts = statement.at("/predicate/runDetails/byproducts");
        assertEquals(Sha256.of(metadata), byproducts.get(0).at("/digest/sha256").asText());
        assertEquals(Sha256.of(sbom), byproducts.get(1).at("/digest/sha256").asText());
        assertNotNull(statement.at("/predicate/runDetails/builder/id").textValue());
    }

    @Test
    void theManifestsOriginIsItsPathInGitAndTheCommitCheckedOut() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "no git here");
        Path repo = Files.createDirectories(tmp.resolve("repo/manifests"));
        Path manifest = Files.writeString(repo.resolve("python.yaml"), "versions: []\n");
        git(tmp.resolve("repo"), "init", "-q");
        git(tmp.resolve("repo"), "add", ".");
        git(tmp.resolve("repo"), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "m");
        String head = git(tmp.resolve("repo"), "rev-parse", "HEAD");
        assertEquals(new Provenance.ManifestOrigin("manifests/python.yaml", head, false), Provenance.origin(manifest));
        Files.writeString(manifest, "versions: [changed]\n");
        assertTrue(Provenance.origin(manifest).dirty());
        Path outside = Files.writeString(Files.createDirectories(tmp.resolve("plain")).resolve("python.yaml"), "x");
        assertEquals(new Provenance.ManifestOrigin("python.yaml", null, false), Provenance.origin(outside));
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
