package dev.pyruntime.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.Sha256;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.archive.Provenance;
import dev.pyruntime.archive.Sbom;
import dev.pyruntime.compile.RuntimeContents;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.PlanJson;
import dev.pyruntime.sign.Gpg;
import dev.pyruntime.sign.SignatureCheck;
import dev.pyruntime.sign.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supply-chain and signature checks pass what package and deploy wrote, and fail each kind of mismatch. */
class SupplyChainCheckTest {
    @TempDir
    Path tmp;
    BuildPlan plan;
    Path archive;
    String sha;

    @BeforeEach
    void packed() throws Exception {
        plan = PlanJson.read(Path.of("src/test/resources/installed/3.11.2/plan.json"));
        archive = Files.writeString(tmp.resolve(plan.archive().name()), "archive bytes");
        sha = Sha256.of(archive);
        RuntimeContents contents = new RuntimeContents(List.of(new RuntimeContents.RuntimePackage("libssl3",
                "3.0.17-1~deb12u2", List.of("libssl.so.3"))), List.of(), List.of(), List.of(), List.of());
        ArchiveMetadata meta = new ArchiveMetadata(1, archive.getFileName().toString(), sha, Files.size(archive),
                plan.target().id(), plan.target().version(), "default", "debian-12", "debian", "12", "amd64", plan.source().file(),
                plan.source().sha256(), plan.fingerprint(), "test", List.of(), "host", "x86_64-linux-gnu", "/tmp/p", 0,
                0, 22, 27, List.of(), Map.of(), Map.of(), Map.of(), "1.21.22", contents, null);
        meta.write(ArchiveMetadata.fileFor(archive), null);
        Path sbom = Sbom.write(archive, meta, plan.source().urls());
        Provenance.write(archive, plan, meta, null, List.of(ArchiveMetadata.fileFor(archive), sbom));
    }

    @Test
    void whatPackageWroteDescribesTheArchive() {
        Check c = SupplyChainCheck.run(plan, archive, sha, true);
        assertEquals(Check.Status.PASS, c.status(), c.detail());
    }

    /**
     * With a symbols archive, the provenance's second subject is it: checked against the file beside the archive, or,
     * for a runtime fetched without its symbols, against what its metadata names.
     */
    @Test
    void theSymbolsArchiveIsTheProvenancesSecondSubjectWithOrWithoutItBeside() throws Exception {
        String name = dev.pyruntime.manifest.Manifest.Archive.symbolsName(archive.getFileName().toString());
        Path symbols = Files.writeString(archive.resolveSibling(name), "debug files");
        ArchiveMetadata old = ArchiveMetadata.read(ArchiveMetadata.fileFor(archive));
        ArchiveMetadata meta = new ArchiveMetadata(old.schema(), old.archive(), old.sha256(), old.size(), old.target(),
                old.version(), old.variant(), old.distro(), old.distroName(), old.distroVersion(), old.arch(),
                old.sourceFile(), old.sourceSha256(), old.planFingerprint(), old.pluginVersion(), old.profiles(),
                old.executor(), old.buildTriplet(), old.prefix(), old.sourceDateEpoch(), old.entryTime(),
                old.zstdLevel(), old.windowLog(), old.configure(), old.flags(), old.make(), old.toolchain(),
                old.dpkgBuildflags(), old.runtime(), old.build(), new ArchiveMetadata.Symbols(name, Sha256.of(symbols),
                Files.size(symbols), List.of()));
        meta.write(ArchiveMetadata.fileFor(archive), null);
        Provenance.write(archive, plan, meta, null, List.of(ArchiveMetadata.fileFor(archive), Sbom.fileFor(archive)));
        Check c = SupplyChainCheck.run(plan, archive, sha, true);
        assertEquals(Check.Status.PASS, c.status(), c.detail());

        Files.delete(symbols);
        c = SupplyChainCheck.run(plan, archive, sha, false);
        assertEquals(Check.Status.PASS, c.status(), "fetched without its symbols: " + c.detail());

        Files.writeString(symbols, "other debug files");
        c = SupplyChainCheck.run(plan, archive, sha, true);
        assertEquals(Check.Status.FAIL, c.status());
        assertTrue(c.detail().contains("second subject is") && c.detail().contains(name + " beside the archive has "
                + "sha256 " + Sha256.of(symbols)), c.detail());
    }

    @Test
    void anSbomOrProvenanceThatSaysSomethingElseFails() throws Exception {
        Path sbom = Sbom.fileFor(archive);
        Files.writeString(sbom, Files.readString(sbom).replace("3.0.17-1~deb12u2", "3.0.9-1"));
        Check c = SupplyChainCheck.run(plan, archive, sha, true);
        assertEquals(Check.Status.FAIL, c.status());
        assertTrue(c.detail().contains("lists the distro packages [libssl3=3.0.9-1], but the metadata's "
                + "runtime.packages are [libssl3=3.0.17-1~deb12u2]"), c.detail());
        assertTrue(c.detail().contains(".intoto.json names " + sbom.getFileName() + " with sha256"), c.detail());

        Files.writeString(archive, "other bytes");
        Check other = SupplyChainCheck.run(plan, archive, Sha256.of(archive), true);
        assertTrue(other.detail().contains("describes an archive with sha256 " + sha + ", not this one"), other.detail());
        assertTrue(other.detail().contains("'s subject is"), other.detail());

        Files.delete(sbom);
        Files.delete(Provenance.fileFor(archive));
        assertEquals(Check.Status.FAIL, SupplyChainCheck.run(plan, archive, sha, true).status(), "its own must have both");
        assertEquals(Check.Status.SKIPPED, SupplyChainCheck.run(plan, archive, sha, false).status());
    }

    @Test
    void theSignatureCheckPassesTheKeysSignatureAndFailsAChangedArchiveAnotherKeyOrNone() throws Exception {
        SigningKey key;
        try (Gpg gpg = new Gpg(tmp.resolve("gpg"))) {
            String fpr = gpg.makeKey("Releases <r@example.org>", "pw");
            key = SigningKey.configured(Map.of(SigningKey.ENV_KEY, gpg.exportSecret(fpr, "pw"),
                    SigningKey.ENV_PASSPHRASE, "pw"), null, null, "keyFile");
        }
        SignatureCheck publisher = SignatureCheck.load(key.publicKeyArmored(), "the publisher's key", null, "fix");
        Path asc = archive.resolveSibling(archive.getFileName() + ".asc");
        assertEquals(Check.Status.FAIL, SupplyChainCheck.signature(archive, publisher).status(), "no .asc beside it");

        Files.write(asc, key.sign(archive));
        Check good = SupplyChainCheck.signature(archive, publisher);
        assertEquals(Check.Status.PASS, good.status(), good.detail());
        assertTrue(good.detail().startsWith("good signature by " + key.fingerprint()), good.detail());

        Files.writeString(archive, "archive bytez");
        Check bad = SupplyChainCheck.signature(archive, publisher);
        assertEquals(Check.Status.FAIL, bad.status());
        assertTrue(bad.detail().contains("BAD signature"), bad.detail());
    }
}
