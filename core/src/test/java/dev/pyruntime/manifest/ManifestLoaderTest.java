package dev.pyruntime.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {
    /** The catalog the project publishes, relative to the maven-plugin module directory. */
    private static final Path CATALOG = Path.of("../manifests/python.yaml");

    /** Only what is required: every default applies. Unquoted 3.10 stays the text "3.10", never the float 3.1. */
    private static final String MINIMAL = """
            schema: 1
            source:
              url: "https://www.python.org/ftp/python/{version}/{file}"
              signingKeys:
                3.10: A035C8C19219BA821ECEA86B64E628F8D684696D
            distros:
              debian-12:
            arches: [ amd64 ]
            versions:
              - { version: 3.10.20, file: Python-3.10.20.tar.xz, sha256: DE6517421601E39A9A3BC3E1BC4C7B2F239297423EE05E282598C83EC0647505 }
              - { version: 3.1.5, file: Python-3.1.5.tgz, sha256: 93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640 }
            overrides:
              - when: { version: 3.10 }
                cflags: { add: [ -fno-omit-frame-pointer ] }
            """;

    @TempDir
    Path dir;

    @Test
    void minimalManifestGetsTheDefaults() throws Exception {
        Manifest m = load(MINIMAL);

        assertEquals("python-{version}{variant}-{distro}-{distroVersion}-{arch}.tar.zst", m.archive().name().text());
        assertEquals(22, m.archive().zstdLevel());
        assertEquals(27, m.archive().windowLog());
        Distro debian = m.distros().get("debian-12");
        assertEquals(Distro.Executor.HOST, debian.executor());
        assertEquals("debian", debian.name());
        assertEquals("12", debian.version());
        assertNull(debian.image());
        assertEquals(List.of(), debian.packages());
        assertEquals(List.of("amd64"), m.arches());
        assertEquals("/tmp/python-runtime/{target}", m.build().prefix().text());
        assertEquals("dpkg-buildflags", m.build().flagsFrom());
        assertEquals(List.of(), m.build().configure());
        assertEquals(List.of(), m.source().mirrors());
        assertEquals(Map.of(), m.profiles());
        assertEquals(List.of(), m.warnings());
    }

    @Test
    void valuesAreKeptAsTheTextWritten() throws Exception {
        Manifest m = load(MINIMAL);

        Release r = m.versions().get(0);
        assertEquals("3.10.20", r.version().toString());
        assertEquals(new PythonVersion(3, 10, 20, ""), r.version());
        assertEquals("3.10", r.version().series());
        assertEquals("Python-3.10.20.tar.xz", r.file());
        assertEquals("de6517421601e39a9a3bc3e1bc4c7b2f239297423ee05e282598c83ec0647505", r.sha256(),
                "sha256 is kept as lower-case hex");
        assertEquals(Set.of("3.10"), m.source().signingKeys().keySet(), "the series key 3.10 is not the float 3.1");

        Selector when = m.overrides().get(0).when();
        assertEquals("3.10", when.versions().get(0).toString());
        assertTrue(when.matchesTarget(r.version(), "default", "debian-12", "amd64"), "unquoted 3.10 selects 3.10.20");
        assertFalse(when.matchesTarget(m.versions().get(1).version(), "default", "debian-12", "amd64"), "... not 3.1.5");
    }

    @Test
    void realCatalogLoadsCleanly() throws Exception {
        Manifest m = ManifestLoader.load(CATALOG);

        assertEquals(List.of(), m.warnings());
        List<PythonVersion> versions = m.versions().stream().map(Release::version).toList();
        Set<String> pinned = Set.of("3.11.2", "3.13.5");
        assertTrue(versions.stream().map(PythonVersion::toString).collect(Collectors.toSet()).containsAll(pinned),
                "Debian 12's 3.11.2 and the pinned 3.13.5: " + versions);
        // Besides those, exactly the latest release of each series 3.10 to 3.14, newer than the pinned ones.
        Map<String, List<PythonVersion>> latest = versions.stream().filter(v -> !pinned.contains(v.toString()))
                .collect(Collectors.groupingBy(PythonVersion::series, TreeMap::new, Collectors.toList()));
        assertEquals(List.of("3.10", "3.11", "3.12", "3.13", "3.14"), List.copyOf(latest.keySet()));
        latest.forEach((series, list) -> assertEquals(1, list.size(), "one latest release of " + series + ": " + list));
        assertTrue(latest.get("3.11").get(0).compareTo(new PythonVersion(3, 11, 2, "")) > 0);
        assertTrue(latest.get("3.13").get(0).compareTo(new PythonVersion(3, 13, 5, "")) > 0);
        assertTrue(versions.stream().allMatch(PythonVersion::isFinal));

        assertEquals(List.of("debian-12", "debian-13", "ubuntu-22.04", "ubuntu-24.04"), List.copyOf(m.distros().keySet()));
        assertEquals(Distro.Executor.HOST, m.distros().get("debian-12").executor());
        m.distros().values().stream().filter(d -> !d.id().equals("debian-12")).forEach(d -> {
            assertEquals(Distro.Executor.CONTAINER, d.executor(), d.id());
            assertTrue(d.image() != null && !d.image().isBlank(), d.id());
        });
        assertEquals(List.of("amd64", "arm64"), m.arches());
        assertEquals(Set.of("3.10", "3.11", "3.12", "3.13", "3.14"), m.source().signingKeys().keySet());
        // 3.14 is signed with Sigstore only: its release manager's identity, as python.org publishes it.
        assertEquals("sigstore hugo@python.org https://github.com/login/oauth", m.source().signingKeys().get("3.14"));
        assertEquals(Set.of("recipe", "quick"), m.profiles().keySet());
    }

    @Test
    void missingFileIsAUserErrorWithoutStackTrace() {
        Path missing = dir.resolve("python.yaml");

        ManifestException e = assertThrows(ManifestException.class, () -> ManifestLoader.load(missing));

        assertEquals(List.of("python.yaml: the manifest does not exist; create it, or name the manifest to use"),
                e.problems().stream().map(Problem::toString).toList());
    }

    private Manifest load(String text) throws Exception {
        Path file = dir.resolve("python.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return ManifestLoader.load(file);
    }

    /** A device or a directory given as the manifest is refused by what it is, without reading it. */
    @Test
    void aDeviceOrADirectoryIsNotReadAsAManifest(@TempDir Path dir) {
        for (Path notAFile : List.of(Path.of("/dev/zero"), dir)) {
            ManifestException e = assertThrows(ManifestException.class, () -> ManifestLoader.load(notAFile));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        }
    }

    /** A file past the size limit is refused after reading one byte more than the limit, not all of it. */
    @Test
    void aHugeFileIsRefusedBySize(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("python.yaml");
        Files.write(big, new byte[ManifestLoader.MAX_BYTES + 1]);
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestLoader.load(big));
        assertTrue(e.getMessage().contains("larger than " + ManifestLoader.MAX_BYTES + " bytes"), e.getMessage());
    }
}
