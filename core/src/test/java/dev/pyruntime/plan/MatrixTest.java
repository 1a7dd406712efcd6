package dev.pyruntime.plan;

import dev.pyruntime.Vocabulary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.UserError;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.ManifestLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixTest {
    private static final HostInfo HOST = new HostInfo("debian-12", "amd64");

    private static Manifest manifest(String arches, String runners) throws Exception {
        return ManifestLoader.parse(Path.of("python.yaml"), String.join("\n",
                "schema: 1",
                "source: { url: \"https://example.invalid/{version}/{file}\" }",
                "distros:",
                "  debian-12: {}",
                "  ubuntu-24.04: { executor: container, image: heroku/heroku:24-build }",
                "arches: " + arches,
                runners,
                "versions:",
                "  - { version: 3.11.2, file: Python-3.11.2.tgz, sha256: " + "a".repeat(64) + " }",
                "  - { version: 3.13.5, file: Python-3.13.5.tar.xz, sha256: " + "b".repeat(64) + " }",
                "overrides:",
                "  - when: { version: 3.11.*, distro: ubuntu-24.04 }",
                "    exclude: true",
                "    reason: Ubuntu 24.04 ships 3.12",
                ""));
    }

    @Test
    void everyTargetNotExcludedWithTheRunnerOfItsArchWhereverItCanBeBuilt() throws Exception {
        List<Matrix.Entry> m = Matrix.of(manifest("[amd64, arm64]", ""), List.of(), List.of(), HOST, Vocabulary.PLAIN);
        assertEquals(List.of(
                // A debian-12 host target runs in a debian:12 job container on GitHub's Ubuntu runners.
                new Matrix.Entry("3.11.2-debian-12-amd64", "3.11.2", "default", "debian-12", "amd64", "ubuntu-24.04", "debian:12"),
                new Matrix.Entry("3.11.2-debian-12-arm64", "3.11.2", "default", "debian-12", "arm64", "ubuntu-24.04-arm", "debian:12"),
                new Matrix.Entry("3.13.5-debian-12-amd64", "3.13.5", "default", "debian-12", "amd64", "ubuntu-24.04", "debian:12"),
                new Matrix.Entry("3.13.5-debian-12-arm64", "3.13.5", "default", "debian-12", "arm64", "ubuntu-24.04-arm", "debian:12"),
                // A container target starts its build image with the runner's own engine.
                new Matrix.Entry("3.13.5-ubuntu-24.04-amd64", "3.13.5", "default", "ubuntu-24.04", "amd64", "ubuntu-24.04", ""),
                new Matrix.Entry("3.13.5-ubuntu-24.04-arm64", "3.13.5", "default", "ubuntu-24.04", "arm64", "ubuntu-24.04-arm", "")), m);
        assertEquals("{\"include\":[{\"target\":\"3.11.2-debian-12-amd64\",\"version\":\"3.11.2\",\"variant\":\"default\",\"distro\":\"debian-12\","
                + "\"arch\":\"amd64\",\"runner\":\"ubuntu-24.04\",\"container\":\"debian:12\"}]}", Matrix.toJson(m.subList(0, 1)));
    }

    @Test
    void honoursTheSelectionAndTheManifestsRunners() throws Exception {
        Manifest manifest = manifest("[amd64, arm64]", "runners: { arm64: self-hosted-graviton }");
        List<Matrix.Entry> m = Matrix.of(manifest, TargetSelector.parseGlobs("3.13.*-*-arm64"), List.of(), HOST, Vocabulary.PLAIN);
        assertEquals(List.of("3.13.5-debian-12-arm64", "3.13.5-ubuntu-24.04-arm64"), m.stream().map(Matrix.Entry::target).toList());
        assertTrue(m.stream().allMatch(e -> e.runner().equals("self-hosted-graviton")));
        // A self-hosted runner's label does not say its distro: the job runs on it as it is.
        assertTrue(m.stream().allMatch(e -> e.container().isEmpty()));
    }

    @Test
    void aTargetNamedByItsIdIsListedWhereverItCanBeBuilt() throws Exception {
        List<Matrix.Entry> m = Matrix.of(manifest("[amd64, arm64]", ""), List.of("3.13.5-debian-12-arm64"), List.of(), HOST, Vocabulary.PLAIN);
        assertEquals(List.of("3.13.5-debian-12-arm64"), m.stream().map(Matrix.Entry::target).toList());
    }

    @Test
    void anUbuntuHostTargetOnItsOwnRunnerNeedsNoContainer() {
        assertEquals("ubuntu-24.04", Matrix.runnerDistro("ubuntu-24.04-arm"));
        assertEquals(null, Matrix.runnerDistro("self-hosted"));
    }

    @Test
    void anArchWithoutARunnerIsAnErrorSayingWhatToAdd() throws Exception {
        UserError e = assertThrows(UserError.class, () -> Matrix.of(manifest("[amd64, armhf]", ""), List.of(), List.of(), HOST, Vocabulary.PLAIN));
        assertEquals("python.yaml: no CI runner for arch armhf; add one per arch, such as 'runners: { armhf: <runner label> }'",
                e.getMessage());
    }

    @Test
    void theStepWritesTheFileAndAppendsTheStepOutput(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("python.yaml");
        java.nio.file.Files.writeString(manifest, String.join("\n",
                "schema: 1",
                "source: { url: \"https://example.invalid/{version}/{file}\" }",
                "distros: { debian-12: {} }",
                "arches: [amd64]",
                "versions:",
                "  - { version: 3.11.2, file: Python-3.11.2.tgz, sha256: " + "a".repeat(64) + " }",
                ""));
        Path output = dir.resolve("github-output");
        java.nio.file.Files.writeString(output, "before=1\n");
        dev.pyruntime.RecordingConsole console = new dev.pyruntime.RecordingConsole();
        String json = Matrix.run(new Matrix.Request(manifest, null, null, dir.resolve("out/matrix.json"), output),
                console, HOST);
        assertEquals("{\"include\":[{\"target\":\"3.11.2-debian-12-amd64\",\"version\":\"3.11.2\",\"variant\":\"default\",\"distro\":"
                + "\"debian-12\",\"arch\":\"amd64\",\"runner\":\"ubuntu-24.04\",\"container\":\"debian:12\"}]}", json);
        assertEquals(json + "\n", java.nio.file.Files.readString(dir.resolve("out/matrix.json")));
        assertEquals("before=1\nmatrix=" + json + "\n", java.nio.file.Files.readString(output));
        assertThrows(UserError.class, () -> Matrix.run(new Matrix.Request(manifest, "3.99.*", null,
                dir.resolve("out/other.json"), null), console, HOST));
        assertTrue(!java.nio.file.Files.exists(dir.resolve("out/other.json")), "nothing written for a bad selection");
    }
}
