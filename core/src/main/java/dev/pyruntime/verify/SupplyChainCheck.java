package dev.pyruntime.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyruntime.Sha256;
import dev.pyruntime.SmallFiles;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.archive.Provenance;
import dev.pyruntime.archive.Sbom;
import dev.pyruntime.compile.RuntimeContents;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.sign.BadSignature;
import dev.pyruntime.sign.SignatureCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an archive's SBOM and provenance say must be true of it before it leaves ({@code supply-chain}), and, when
 * verify is given the publisher's public key, its detached signature must be good ({@code signature}).
 */
final class SupplyChainCheck {
    static final String ID = "supply-chain";
    static final String WHAT = "the SBOM and provenance beside the archive describe it: its sha256, its CPython "
            + "and source, the distro packages its metadata lists";
    static final String SIGNATURE = "signature";
    static final String SIGNATURE_WHAT = "the archive's .asc is a good signature by the given key";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX = 16 << 20;

    private SupplyChainCheck() {
    }

    /**
     * @param ownArchive whether the archive is this build's: then both files must be there; an archive verified on its
     *                   own skips the check when neither is
     */
    static Check run(BuildPlan plan, Path archive, String sha256, boolean ownArchive) {
        Path sbomFile = Sbom.fileFor(archive);
        Path provenanceFile = Provenance.fileFor(archive);
        if (!ownArchive && !Files.isRegularFile(sbomFile) && !Files.isRegularFile(provenanceFile)) {
            return Check.skipped(ID, WHAT, "neither " + sbomFile.getFileName() + " nor " + provenanceFile.getFileName()
                    + " is beside it");
        }
        List<String> problems = new ArrayList<>();
        ArchiveMetadata meta = null;
        try {
            Path metaFile = ArchiveMetadata.fileFor(archive);
            meta = Files.isRegularFile(metaFile) ? ArchiveMetadata.read(metaFile) : null;
        } catch (IOException e) {
            // archive-sha256 reports unreadable metadata; the packages are then not compared.
        }
        sbom(plan, sbomFile, sha256, meta, problems);
        provenance(plan, archive, provenanceFile, sha256, problems);
        return Check.of(ID, WHAT, problems, sbomFile.getFileName() + " (CycloneDX " + Sbom.VERSION.getVersionString()
                + ") and " + provenanceFile.getFileName() + " name sha256 " + sha256);
    }

    private static void sbom(BuildPlan plan, Path file, String sha256, ArchiveMetadata meta, List<String> problems) {
        String name = file.getFileName().toString();
        byte[] bytes;
        JsonNode doc;
        try {
            bytes = SmallFiles.readBytes(file, MAX, "SBOM");
            doc = JSON.readTree(bytes);
            List<String> invalid = Sbom.validate(bytes);
            if (!invalid.isEmpty()) {
                problems.add(name + " does not validate against the CycloneDX " + Sbom.VERSION.getVersionString()
                        + " schema: " + String.join("; ", invalid.subList(0, Math.min(3, invalid.size()))));
                return;
            }
        } catch (IOException e) {
            problems.add(name + " is missing or not JSON: " + e.getMessage());
            return;
        }
        String named = "SHA-256".equals(doc.at("/metadata/component/hashes/0/alg").asText())
                ? doc.at("/metadata/component/hashes/0/content").asText("") : "(no SHA-256)";
        if (!named.equals(sha256)) {
            problems.add(name + " describes an archive with sha256 " + named + ", not this one");
        }
        JsonNode cpython = null;
        Set<String> debs = new TreeSet<>();
        for (JsonNode c : doc.path("components")) {
            if (c.path("name").asText().equals("cpython")) {
                cpython = c;
            }
            if (c.path("purl").asText().startsWith("pkg:deb/")) {
                debs.add(c.path("name").asText() + "=" + c.path("version").asText());
            }
        }
        if (cpython == null || !cpython.path("version").asText().equals(plan.target().version())) {
            problems.add(name + " names CPython " + (cpython == null ? "nowhere" : cpython.path("version").asText())
                    + ", not " + plan.target().version());
        } else if (!cpython.at("/hashes/0/content").asText().equals(plan.source().sha256())) {
            problems.add(name + " names the source sha256 " + cpython.at("/hashes/0/content").asText()
                    + ", not the plan's " + plan.source().sha256());
        }
        if (meta != null && meta.runtime() != null && meta.runtime().packages() != null) {
            Set<String> listed = new TreeSet<>();
            for (RuntimeContents.RuntimePackage p : meta.runtime().packages()) {
                listed.add(p.name() + "=" + p.version());
            }
            if (!listed.equals(debs)) {
                problems.add(name + " lists the distro packages " + debs + ", but the metadata's runtime.packages are "
                        + listed);
            }
        }
    }

    private static void provenance(BuildPlan plan, Path archive, Path file, String sha256, List<String> problems) {
        String name = file.getFileName().toString();
        JsonNode st;
        try {
            st = JSON.readTree(SmallFiles.readBytes(file, MAX, "provenance"));
        } catch (IOException e) {
            problems.add(name + " is missing or not JSON: " + e.getMessage());
            return;
        }
        if (!Provenance.STATEMENT_TYPE.equals(st.path("_type").asText())
                || !Provenance.PREDICATE_TYPE.equals(st.path("predicateType").asText())) {
            problems.add(name + " is not an in-toto Statement v1 with a SLSA Provenance v1 predicate");
            return;
        }
        // The symbols archive the archive's own metadata names (a runtime packed before the manifest separated its
        // symbols has none), else the plan's.
        ArchiveMetadata.Symbols named = null;
        String symbols = plan.archive().symbols();
        try {
            Path metaFile = ArchiveMetadata.fileFor(archive);
            if (Files.isRegularFile(metaFile)) {
                named = ArchiveMetadata.read(metaFile).symbols();
                symbols = named == null ? null : named.archive();
            }
        } catch (IOException unreadable) {
            // The metadata's own problems are reported where it is read for its checksums.
        }
        if (st.path("subject").size() != (symbols == null ? 1 : 2)
                || !archive.getFileName().toString().equals(st.at("/subject/0/name").asText())
                || !sha256.equals(st.at("/subject/0/digest/sha256").asText())) {
            problems.add(name + "'s subject is " + dev.pyruntime.Chars.shown(st.path("subject").toString()) + ", not "
                    + archive.getFileName() + " with sha256 " + sha256 + (symbols == null ? "" : " and " + symbols));
        } else if (symbols != null) {
            // The symbols archive the same build made: the one beside the archive, byte for byte; or, for a runtime
            // fetched without it, the one its metadata names.
            Path symbolsFile = archive.resolveSibling(symbols);
            String said = st.at("/subject/1/digest/sha256").asText();
            try {
                String actual = Files.isRegularFile(symbolsFile) ? Sha256.of(symbolsFile) : null;
                String expected = actual != null ? actual : named != null ? named.sha256() : null;
                if (!symbols.equals(st.at("/subject/1/name").asText()) || !said.equals(expected)) {
                    problems.add(name + "'s second subject is " + dev.pyruntime.Chars.shown(st.at("/subject/1")
                            .toString()) + ", and " + symbols + (actual != null ? " beside the archive has sha256 "
                            + actual : expected != null ? " in the metadata has sha256 " + expected
                            : " is not beside the archive"));
                }
            } catch (IOException e) {
                problems.add(name + " names " + symbols + ", which cannot be read: " + e.getMessage());
            }
        }
        String source = st.at("/predicate/buildDefinition/resolvedDependencies/0/digest/sha256").asText();
        if (!source.equals(plan.source().sha256())) {
            problems.add(name + " names the source sha256 " + source + ", not the plan's " + plan.source().sha256());
        }
        // Exactly the metadata and the SBOM beside the archive, by digest: the statement vouches for both.
        List<String> names = new ArrayList<>();
        st.at("/predicate/runDetails/byproducts").forEach(b -> names.add(b.path("name").asText()));
        List<String> expected = List.of(ArchiveMetadata.nameFor(archive.getFileName().toString()),
                Sbom.nameFor(archive.getFileName().toString()));
        if (!names.equals(expected)) {
            problems.add(name + " names the byproducts " + (names.size() > 4 ? names.subList(0, 4) + "..." : names)
                    + ", not " + expected);
            return;
        }
        for (JsonNode b : st.at("/predicate/runDetails/byproducts")) {
            Path beside = archive.resolveSibling(b.path("name").asText());
            try {
                if (!beside.getParent().equals(archive.getParent()) || !Files.isRegularFile(beside)
                        || !Sha256.of(beside).equals(b.at("/digest/sha256").asText())) {
                    problems.add(name + " names " + b.path("name").asText() + " with sha256 "
                            + b.at("/digest/sha256").asText() + ", and the file beside the archive "
                            + (Files.isRegularFile(beside) ? "has sha256 " + Sha256.of(beside) : "is missing"));
                }
            } catch (IOException | RuntimeException e) {
                problems.add(name + " names " + b.path("name") + ", which cannot be read: " + e.getMessage());
            }
        }
    }

    /**
     * The {@code signature} check: {@code <archive>.asc} beside the archive, checked with {@code key}; and the
     * signature of each file beside it that has one ({@code .sha256}, metadata, SBOM, provenance).
     */
    static Check signature(Path archive, SignatureCheck key) {
        Path asc = archive.resolveSibling(archive.getFileName() + ".asc");
        if (!Files.isRegularFile(asc)) {
            return Check.fail(SIGNATURE, SIGNATURE_WHAT, asc.getFileName() + " is not beside the archive: download it "
                    + "with the archive");
        }
        String name = archive.getFileName().toString();
        List<String> problems = new ArrayList<>();
        SignatureCheck.Verified archiveSignature = null;
        for (String file : List.of(name, name + ".sha256", ArchiveMetadata.nameFor(name), Sbom.nameFor(name),
                Provenance.nameFor(name))) {
            Path data = archive.resolveSibling(file);
            Path sig = archive.resolveSibling(file + ".asc");
            if (!file.equals(name) && (!Files.isRegularFile(data) || !Files.isRegularFile(sig))) {
                continue;
            }
            try {
                SignatureCheck.Verified v = key.verify(data, sig);
                archiveSignature = archiveSignature == null ? v : archiveSignature;
            } catch (BadSignature e) {
                problems.add(sig.getFileName() + " " + e.getMessage());
            } catch (IOException e) {
                problems.add("cannot read " + data.getFileName() + ": " + e.getMessage());
            }
        }
        return Check.of(SIGNATURE, SIGNATURE_WHAT, problems, archiveSignature == null ? "" : "good signature by "
                + archiveSignature.signer() + " (key " + key.fingerprint() + "), made " + archiveSignature.made());
    }
}
