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
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TargetSelectorTest {
    private static final HostInfo DEBIAN12_AMD64 = new HostInfo("debian-12", "amd64");

    private static Manifest manifest() throws Exception {
        return ManifestLoader.parse(Path.of("python.yaml"), String.join("\n",
                "schema: 1",
                "source: { url: \"https://example.invalid/{version}/{file}\" }",
                "distros:",
                "  debian-12: {}",
                "  ubuntu-24.04: { executor: container, image: heroku/heroku:24-build }",
                "arches: [amd64, arm64]",
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
    void expandsEveryCombinationInManifestOrder() throws Exception {
        List<String> ids = TargetSelector.expand(manifest()).stream().map(Target::id).toList();
        assertEquals(List.of("3.11.2-debian-12-amd64", "3.11.2-debian-12-arm64", "3.11.2-ubuntu-24.04-amd64",
                "3.11.2-ubuntu-24.04-arm64", "3.13.5-debian-12-amd64", "3.13.5-debian-12-arm64",
                "3.13.5-ubuntu-24.04-amd64", "3.13.5-ubuntu-24.04-arm64"), ids);
    }

    @Test
    void nothingIsDroppedSilently() throws Exception {
        List<TargetStatus> all = TargetSelector.select(manifest(), List.of(), List.of(), DEBIAN12_AMD64, Vocabulary.PLAIN);
        Map<String, String> state = all.stream().collect(Collectors.toMap(s -> s.target().id(),
                s -> s.state() + (s.reason().isEmpty() ? "" : ": " + s.reason())));
        assertEquals("PLANNED", state.get("3.11.2-debian-12-amd64"));
        assertEquals("SKIPPED: this machine is amd64, the target needs arm64 (the manifest's 'cross' does not let another arch cross-compile arm64)", state.get("3.11.2-debian-12-arm64"));
        assertEquals("EXCLUDED: excluded by overrides[0] (python.yaml:11): Ubuntu 24.04 ships 3.12",
                state.get("3.11.2-ubuntu-24.04-amd64"));
        // A container runs on any distro of the same arch; another arch would need emulation.
        assertEquals("PLANNED", state.get("3.13.5-ubuntu-24.04-amd64"));
        assertEquals("SKIPPED: this machine is amd64, the target's container (heroku/heroku:24-build) needs arm64"
                + " (the manifest's 'cross' does not let another arch cross-compile arm64)",
                state.get("3.13.5-ubuntu-24.04-arm64"));
        assertEquals(8, all.size());
    }

    @Test
    void otherDistroHostSkipsWithReason() throws Exception {
        List<TargetStatus> all = TargetSelector.select(manifest(), List.of("3.13.5-debian-*-amd64"), List.of(),
                new HostInfo("debian-13", "amd64"), Vocabulary.PLAIN);
        assertEquals(1, all.size());
        assertEquals("this machine is debian-13, the target needs debian-12", all.get(0).reason());
    }

    @Test
    void globsSelect() throws Exception {
        List<String> ids = TargetSelector.select(manifest(), TargetSelector.parseGlobs("3.13.*-*-amd64, 3.11.2-debian-12-arm6?"),
                List.of(), DEBIAN12_AMD64, Vocabulary.PLAIN).stream().map(s -> s.target().id()).toList();
        assertEquals(List.of("3.11.2-debian-12-arm64", "3.13.5-debian-12-amd64", "3.13.5-ubuntu-24.04-amd64"), ids);
    }

    @Test
    void aTargetNamedByItsIdThatThisMachineCannotBuildIsAnErrorSayingWhereItCan() throws Exception {
        UserError e = assertThrows(UserError.class, () -> TargetSelector.select(manifest(),
                List.of("3.11.2-debian-12-arm64", "3.13.5-ubuntu-24.04-arm64", "3.13.5-debian-12-amd64"), List.of(),
                DEBIAN12_AMD64, Vocabulary.PLAIN));
        assertEquals("the targets setting names targets this machine (debian-12, amd64) cannot build:\n"
                + "  3.11.2-debian-12-arm64: this machine is amd64, the target needs arm64 (the manifest's 'cross' does not let another arch cross-compile arm64); build it on a debian-12 arm64 "
                + "machine; the manifest's CI runner for arm64 is ubuntu-24.04-arm\n"
                + "  3.13.5-ubuntu-24.04-arm64: this machine is amd64, the target's container (heroku/heroku:24-build) "
                + "needs arm64 (the manifest's 'cross' does not let another arch cross-compile arm64); build it on an arm64 machine with podman or docker (it runs in heroku/heroku:24-build); "
                + "the manifest's CI runner for arm64 is ubuntu-24.04-arm\n"
                + "A glob (such as 3.13.*-*-amd64) selects what this machine can build and lists the rest as skipped",
                e.getMessage());
        // On a debian-12 arm64 machine, the arm64 one builds.
        assertEquals(1, TargetSelector.select(manifest(), List.of("3.11.2-debian-12-arm64"), List.of(),
                new HostInfo("debian-12", "arm64"), Vocabulary.PLAIN).size());
    }

    @Test
    void aGlobThatMatchesNothingIsAnError() throws Exception {
        UserError e = assertThrows(UserError.class, () -> TargetSelector.select(manifest(),
                List.of("3.11.2-debian-12-amd46"), List.of(), DEBIAN12_AMD64, Vocabulary.PLAIN));
        assertTrue(e.getMessage().startsWith("the targets setting: '3.11.2-debian-12-amd46' matches no target of "
                + "python.yaml; did you mean '3.11.2-debian-12-amd64'? (targets: 3.11.2-debian-12-amd64,"), e.getMessage());
    }

    @Test
    void aSelectionGivenEmptyIsRefusedNotTakenForAll() throws Exception {
        assertEquals(List.of(), TargetSelector.parseSelection(null, Vocabulary.PLAIN), "not given: every target");
        assertEquals(List.of("*"), TargetSelector.parseSelection("*", Vocabulary.PLAIN));
        assertEquals(List.of("3.13.*-*-amd64"), TargetSelector.parseSelection("3.13.*-*-amd64,", Vocabulary.PLAIN));
        for (String empty : List.of("", ",", " ", " , ,", "\n")) {
            UserError e = assertThrows(UserError.class, () -> TargetSelector.parseSelection(empty, Vocabulary.PLAIN),
                    "'" + empty + "'");
            assertTrue(e.getMessage().startsWith("the targets setting is given but names no target ('"), e.getMessage());
            assertTrue(e.getMessage().endsWith("'): give target ids or globs, comma-separated, such as "
                    + "targets=3.13.*-debian-12-amd64; to select every target, leave it out or give targets='*'"),
                    e.getMessage());
            assertTrue(e.getMessage().indexOf('\n') < 0, e.getMessage());
        }
    }

    @Test
    void unknownProfileIsAnError() throws Exception {
        UserError e = assertThrows(UserError.class, () -> Planner.activeProfiles(manifest(), "quik", Vocabulary.PLAIN));
        assertEquals("the profile setting: no profile 'quik' in python.yaml (profiles: none)", e.getMessage());
    }

    @Test
    void aSelectionOrProfileWithAControlCharacterIsEchoedEscapedNotRaw() throws Exception {
        UserError e = assertThrows(UserError.class, () -> Planner.activeProfiles(manifest(),
                "quick\n[INFO] BUILD SUCCESS", Vocabulary.PLAIN));
        assertEquals("the profile setting: no profile 'quick<U+000A>[INFO] BUILD SUCCESS' in python.yaml (profiles: none)",
                e.getMessage());
        e = assertThrows(UserError.class, () -> TargetSelector.select(manifest(),
                TargetSelector.parseSelection("3.13.5-debian-12-amd64\r\n[INFO] BUILD SUCCESS", Vocabulary.PLAIN),
                List.of(), DEBIAN12_AMD64, Vocabulary.PLAIN));
        assertTrue(e.getMessage().startsWith("the targets setting: '3.13.5-debian-12-amd64<U+000D><U+000A>[INFO] BUILD "
                + "SUCCESS' matches no target of python.yaml"), e.getMessage());
    }
}
