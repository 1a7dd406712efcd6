package dev.pyruntime.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.RecordingConsole;
import dev.pyruntime.compile.BuildInfo;
import dev.pyruntime.compile.Compile;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.PlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the package step packs and when it takes the archive already on disk ({@link Pack#packAll}): decided from
 * the build's marker, the metadata's plan fingerprint and entry time, without compiling anything.
 */
class PackDecisionsTest {
    private static final long EPOCH = 1_675_296_000L;
    @TempDir
    Path tmp;
    private Path out;
    private Path work;
    private BuildPlan plan;

    @BeforeEach
    void aCompiledTree() throws Exception {
        plan = PlanJson.read(Path.of("src/test/resources/installed/3.11.2/plan.json"));
        out = tmp.resolve("out");
        work = out.resolve(plan.target().id());
        Path staging = new Compile.Compiled(plan, work, true).staging();
        Files.createDirectories(staging.resolve("bin"));
        Files.writeString(staging.resolve("bin/python3"), "#!/bin/sh\n");
        new BuildInfo(EPOCH, Map.of(), null).write(work);
    }

    private List<Pack.Packaged> pack(Pack packager, BuildPlan p, boolean built, boolean repack) throws Exception {
        return packager.packAll(List.of(new Compile.Compiled(p, work, built)), out, repack);
    }

    private FileTime archiveTime() throws Exception {
        return Files.getLastModifiedTime(Pack.archiveFor(plan, out));
    }

    /** Marks the archive as older than anything written next, so a repack shows as a newer time. */
    private void ageArchive() throws Exception {
        Files.setLastModifiedTime(Pack.archiveFor(plan, out), FileTime.fromMillis(0));
    }

    @Test
    void anUnchangedBuildKeepsItsArchiveAndEveryChangePacksAgain() throws Exception {
        RecordingConsole console = new RecordingConsole();
        Pack packager = new Pack(console, null);
        Path archive = pack(packager, plan, false, false).get(0).archive();
        assertTrue(Files.isRegularFile(archive) && Files.isRegularFile(Sha256Sidecar.fileFor(archive)));
        assertEquals(plan.fingerprint(), ArchiveMetadata.read(ArchiveMetadata.fileFor(archive)).planFingerprint());

        ageArchive();
        pack(packager, plan, false, false);
        assertEquals(FileTime.fromMillis(0), archiveTime(), "nothing changed: the archive on disk is taken");
        assertTrue(console.said(plan.target().id() + ": " + archive.getFileName() + " is up to date"), console.toString());

        pack(packager, plan, false, true);
        assertNotEquals(FileTime.fromMillis(0), archiveTime(), "package itself always packs");

        ageArchive();
        pack(packager, plan, true, false);
        assertNotEquals(FileTime.fromMillis(0), archiveTime(), "a target compiled in this build is packed again");

        ageArchive();
        pack(packager, plan.withFingerprint("0".repeat(64)), false, false);
        assertNotEquals(FileTime.fromMillis(0), archiveTime(), "metadata of another plan: packed again");

        ageArchive();
        pack(new Pack(console, EPOCH + 1), plan, false, false);
        assertNotEquals(FileTime.fromMillis(0), archiveTime(), "another entry time: packed again");
        assertEquals(EPOCH + 1, ArchiveMetadata.read(ArchiveMetadata.fileFor(archive)).entryTime());
    }

    @Test
    void anArchiveWithoutMetadataOrOlderThanTheBuildIsPackedAgain() throws Exception {
        Pack packager = new Pack(new RecordingConsole(), null);
        Path archive = pack(packager, plan, false, false).get(0).archive();

        Files.delete(ArchiveMetadata.fileFor(archive));
        ageArchive();
        pack(packager, plan, false, false);
        assertNotEquals(FileTime.fromMillis(0), archiveTime(), "no metadata: packed again");
        assertTrue(Files.isRegularFile(ArchiveMetadata.fileFor(archive)));

        // A build finished after the metadata was written (its marker is newer): packed again.
        Files.setLastModifiedTime(ArchiveMetadata.fileFor(archive), FileTime.fromMillis(1_000));
        ageArchive();
        pack(packager, plan, false, false);
        assertNotEquals(FileTime.fromMillis(0), archiveTime(), "metadata older than the build: packed again");
        assertFalse(Files.getLastModifiedTime(ArchiveMetadata.fileFor(archive)).toMillis() <= 1_000);
    }
}
