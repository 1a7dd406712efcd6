package dev.pyruntime.archive;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pyruntime.AtomicFiles;
import dev.pyruntime.Sha256;
import dev.pyruntime.flags.Flag;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The provenance of a runtime archive: an in-toto Statement v1 whose predicate is SLSA Provenance v1
 * ({@code <archive base>.intoto.json}). Its subject is the archive's name and SHA-256. It records what built it
 * (python-runtime and its version), from what (the CPython source's URI and SHA-256, the manifest and its git commit),
 * and how: the resolved plan, with every flag and configure argument beside where it came from. Its byproducts are the
 * archive's metadata and SBOM, by SHA-256, so the statement vouches for them too. It is signed like every published
 * file, with a detached OpenPGP signature ({@code .intoto.json.asc}), which stock gpg checks.
 */
public final class Provenance {
    public static final String SUFFIX = ".intoto.json";
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://slsa.dev/provenance/v1";
    /** What this build type's parameters mean: docs/publishing.md#provenance. */
    public static final String BUILD_TYPE = "https://pyruntime.dev/python-runtime/build/v1";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Provenance() {
    }

    /**
     * Where the manifest a plan came from lives.
     *
     * @param path   the manifest's path, relative to its git work tree when it is in one
     * @param commit the work tree's commit, or null when the manifest is not in git
     * @param dirty  whether the manifest differs from that commit
     */
    public record ManifestOrigin(String path, String commit, boolean dirty) {
    }

    /**
     * Where {@code manifest} lives: its path in its git work tree with the commit checked out there, asked of the
     * host's git; just its file name when it is not in git, or there is no git.
     */
    public static ManifestOrigin origin(Path manifest) {
        Path file = manifest.toAbsolutePath().normalize();
        Path dir = file.getParent();
        String top = git(dir, "rev-parse", "--show-toplevel");
        String commit = top == null ? null : git(dir, "rev-parse", "--verify", "HEAD");
        if (top == null || commit == null || !commit.matches("[0-9a-f]{40,64}")) {
            return new ManifestOrigin(file.getFileName().toString(), null, false);
        }
        String status = git(dir, "status", "--porcelain", "--", file.toString());
        Path root = Path.of(top).toAbsolutePath().normalize();
        String path = file.startsWith(root) ? root.relativize(file).toString() : file.getFileName().toString();
        return new ManifestOrigin(path, commit, status == null || !status.isEmpty());
    }

    /** git's answer, stripped, or null when git is missing or fails. */
    private static String git(Path dir, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(1 << 16);
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public static Path fileFor(Path archive) {
        return archive.resolveSibling(nameFor(archive.getFileName().toString()));
    }

    public static String nameFor(String archiveName) {
        return archiveName.substring(0, archiveName.length() - ".tar.zst".length()) + SUFFIX;
    }

    /**
     * The statement about the archive {@code meta} describes.
     *
     * @param byproducts the archive's metadata file and SBOM file, the byproducts it names by digest
     */
    public static byte[] of(BuildPlan plan, ArchiveMetadata meta, ManifestOrigin manifest, List<Path> byproducts)
            throws IOException {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode statement = f.objectNode();
        statement.put("_type", STATEMENT_TYPE);
        ArrayNode subjects = statement.putArray("subject");
        ObjectNode subject = subjects.addObject();
        subject.put("name", meta.archive());
        subject.putObject("digest").put("sha256", meta.sha256());
        if (meta.symbols() != null) {
            // The same build made the debug files: the runtime first, always, then its symbols archive.
            ObjectNode symbols = subjects.addObject();
            symbols.put("name", meta.symbols().archive());
            symbols.putObject("digest").put("sha256", meta.symbols().sha256());
        }
        statement.put("predicateType", PREDICATE_TYPE);
        ObjectNode predicate = statement.putObject("predicate");
        ObjectNode definition = predicate.putObject("buildDefinition");
        definition.put("buildType", BUILD_TYPE);
        ObjectNode external = definition.putObject("externalParameters");
        external.put("target", meta.target());
        external.set("profiles", JSON.valueToTree(meta.profiles()));
        if (manifest != null) {
            ObjectNode m = external.putObject("manifest");
            m.put("path", manifest.path());
            if (manifest.commit() != null) {
                m.put("commit", manifest.commit());
                m.put("dirty", manifest.dirty());
            }
        }
        ObjectNode internal = definition.putObject("internalParameters");
        internal.put("planFingerprint", meta.planFingerprint());
        internal.put("executor", meta.executor());
        if (plan.environment().image() != null) {
            internal.put("image", plan.environment().image());
        }
        internal.put("buildTriplet", meta.buildTriplet());
        internal.put("prefix", meta.prefix());
        internal.put("sourceDateEpoch", meta.sourceDateEpoch());
        internal.set("configure", flags(meta.configure()));
        ObjectNode flagVars = internal.putObject("flags");
        for (Map.Entry<String, List<Flag>> e : meta.flags().entrySet()) {
            flagVars.set(e.getKey(), flags(e.getValue()));
        }
        internal.set("make", JSON.valueToTree(meta.make()));
        internal.set("toolchain", JSON.valueToTree(meta.toolchain()));
        ObjectNode archive = internal.putObject("archive");
        archive.put("zstdLevel", meta.zstdLevel());
        archive.put("windowLog", meta.windowLog());
        archive.put("entryTime", meta.entryTime());
        ArrayNode deps = definition.putArray("resolvedDependencies");
        List<String> urls = plan.source().urls();
        ObjectNode source = deps.addObject();
        source.put("uri", urls.isEmpty() ? meta.sourceFile() : urls.get(0));
        source.put("name", meta.sourceFile());
        source.putObject("digest").put("sha256", meta.sourceSha256());
        ObjectNode run = predicate.putObject("runDetails");
        ObjectNode builder = run.putObject("builder");
        builder.put("id", "pkg:maven/dev.pyruntime/python-runtime-maven-plugin@" + meta.pluginVersion());
        builder.putObject("version").put("python-runtime", meta.pluginVersion());
        ObjectNode md = run.putObject("metadata");
        md.put("invocationId", meta.target() + "@" + meta.planFingerprint());
        md.put("finishedOn", Instant.ofEpochSecond(meta.entryTime()).toString());
        ArrayNode by = run.putArray("byproducts");
        for (Path p : byproducts) {
            ObjectNode b = by.addObject();
            b.put("name", p.getFileName().toString());
            b.putObject("digest").put("sha256", Sha256.of(p));
        }
        return (JSON.writeValueAsString(statement) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static ArrayNode flags(List<Flag> flags) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Flag flag : flags) {
            out.addObject().put("value", flag.value()).put("origin", flag.origin());
        }
        return out;
    }

    public static Path write(Path archive, BuildPlan plan, ArchiveMetadata meta, ManifestOrigin manifest,
                             List<Path> byproducts) throws IOException {
        Path file = fileFor(archive);
        AtomicFiles.write(file, of(plan, meta, manifest, byproducts));
        return file;
    }
}
