package dev.pyruntime.maven;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pyruntime.AtomicFiles;
import dev.pyruntime.Directories;
import dev.pyruntime.ProxySettings;
import dev.pyruntime.Setting;
import dev.pyruntime.Numbers;
import dev.pyruntime.UserError;
import dev.pyruntime.archive.EntryTime;
import dev.pyruntime.archive.Pack;
import dev.pyruntime.archive.Provenance;
import dev.pyruntime.manifest.ManifestLoader;
import dev.pyruntime.sign.SigningKey;
import dev.pyruntime.compile.CPythonBuild;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.publish.Publisher;
import dev.pyruntime.publish.Repository;
import dev.pyruntime.compile.Compile;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.source.AptSources;
import dev.pyruntime.source.SourceFetcher;
import dev.pyruntime.verify.Verifier;
import dev.pyruntime.verify.Verify;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The goals that need compiled targets ({@code compile}, {@code package}, {@code verify}): each brings its targets up
 * to date through the same core, so a goal called on its own builds what is missing or stale, and a lifecycle run
 * compiles once.
 */
public abstract class AbstractBuildingMojo extends AbstractPlanningMojo {

    /**
     * Parallel make jobs. Defaults to the number of processors. Example: {@code -Dpython-runtime.jobs=8}.
     */
    @Parameter(property = Properties.JOBS)
    protected String jobs;

    /**
     * Use ccache when it is installed (its compiler links in /usr/lib/ccache go first on PATH, so nothing of it is
     * recorded in the runtime's sysconfig). Example: {@code -Dpython-runtime.ccache=false}.
     */
    @Parameter(property = Properties.CCACHE, defaultValue = "true")
    protected String ccache;

    /**
     * Install missing build packages with apt-get (needs root) instead of failing with the install command.
     * Example: {@code -Dpython-runtime.installBuildPackages=true}.
     */
    @Parameter(property = Properties.INSTALL_BUILD_PACKAGES, defaultValue = "false")
    protected String installBuildPackages;

    /**
     * The source cache, content-addressed by sha256 and shared by all projects of the user.
     * Example: {@code -Dpython-runtime.sourceCache=/srv/cache/python-sources}.
     */
    @Parameter(property = Properties.SOURCE_CACHE, defaultValue = "${user.home}/.cache/python-runtime/sources")
    protected File sourceCache;

    /**
     * Check no source signature: each version's declared {@code signature} is then a warning, and only its pinned
     * sha256 vouches for the tarball. For a mirror that carries the tarballs but not their signatures (the Debian
     * source pool has the orig tarballs of most releases but the {@code .asc} of only some). Example:
     * {@code -Dpython-runtime.skipSignatures=true}.
     */
    @Parameter(property = Properties.SKIP_SIGNATURES, defaultValue = "false")
    protected String skipSignatures;

    // Where deploy publishes. The goals before deploy read these too: in a build that goes on to deploy, they leave out
    // the targets already published.

    /**
     * Where to publish: {@code s3://bucket/prefix} (AWS S3 or an S3-compatible store) or {@code file:/path} (a
     * directory, for air-gapped mirrors and tests). Example: {@code -Dpython-runtime.repository=s3://my-bucket/runtimes}.
     */
    @Parameter(property = Properties.REPOSITORY)
    protected String repository;

    /**
     * The {@code <server>} in settings.xml that holds the S3 access key: {@code username} is the access key id,
     * {@code password} the secret (it may be encrypted with {@code mvn --encrypt-password}). Without it, the AWS SDK's
     * default chain is used (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, instance roles). Example:
     * {@code -Dpython-runtime.serverId=runtimes-s3}.
     */
    @Parameter(property = Properties.SERVER_ID)
    protected String serverId;

    /**
     * The endpoint of an S3-compatible store (MinIO, Ceph, s3proxy, ...), or nothing for AWS. Example:
     * {@code -Dpython-runtime.s3.endpoint=https://minio.internal:9000}.
     */
    @Parameter(property = Properties.S3_ENDPOINT)
    protected String s3Endpoint;

    /**
     * The bucket's region; by default the SDK's chain (AWS_REGION, ~/.aws/config), or us-east-1 with an endpoint.
     * Example: {@code -Dpython-runtime.s3.region=eu-west-1}.
     */
    @Parameter(property = Properties.S3_REGION)
    protected String s3Region;

    /**
     * Address the bucket in the path ({@code endpoint/bucket/key}) instead of the host name, as most S3-compatible
     * stores need. Example: {@code -Dpython-runtime.s3.pathStyle=true}.
     */
    @Parameter(property = Properties.S3_PATH_STYLE, defaultValue = "false")
    protected String s3PathStyle;

    /** Archives larger than this many bytes are uploaded in parts. Example: {@code -Dpython-runtime.s3.multipartThreshold=67108864}. */
    @Parameter(property = Properties.S3_MULTIPART_THRESHOLD, defaultValue = "67108864")
    protected String s3MultipartThreshold;

    /** The size of each part of a multipart upload, at least 5 MiB. Example: {@code -Dpython-runtime.s3.partSize=16777216}. */
    @Parameter(property = Properties.S3_PART_SIZE, defaultValue = "16777216")
    protected String s3PartSize;

    /**
     * Attempts per S3 request, the first included; transient failures (5xx, throttling, resets, timeouts) are retried
     * with exponential back-off. Example: {@code -Dpython-runtime.s3.maxAttempts=8}.
     */
    @Parameter(property = Properties.S3_MAX_ATTEMPTS, defaultValue = "5")
    protected String s3MaxAttempts;

    /**
     * Build, pack and verify targets that are already published too, when this build deploys, to check that they
     * reproduce the published bytes: deploy then compares, and fails if they differ. It never overwrites anything.
     * By default a build that deploys asks the repository first and does not build what is published.
     * Example: {@code -Dpython-runtime.rebuildPublished=true}.
     */
    @Parameter(property = Properties.REBUILD_PUBLISHED, defaultValue = "false")
    protected String rebuildPublished;

    /**
     * The ASCII-armored secret key deploy signs every published file with, as a file (maven-gpg-plugin's
     * {@code gpg.keyFilePath}); or leave it unset and put the key in the {@code MAVEN_GPG_KEY} environment variable.
     * Its passphrase is read only from {@code MAVEN_GPG_PASSPHRASE}, never from a property. Example:
     * {@code -Dpython-runtime.signing.keyFile=/run/secrets/runtime-signing-key.asc}.
     */
    @Parameter(property = Properties.SIGNING_KEY_FILE)
    protected File signingKeyFile;

    /**
     * The fingerprint of the key or subkey that signs, when the key holds several; {@code MAVEN_GPG_FINGERPRINT}
     * otherwise, and by default the newest signing subkey, as gpg picks it. Example:
     * {@code -Dpython-runtime.signing.fingerprint=0123...CDEF}.
     */
    @Parameter(property = Properties.SIGNING_FINGERPRINT)
    protected String signingFingerprint;

    /**
     * Fail before building anything when deploy has no signing key, instead of publishing unsigned with a warning
     * (as {@code publish: { signing: required }} in the manifest). Example:
     * {@code -Dpython-runtime.signing.required=true}.
     */
    @Parameter(property = Properties.SIGNING_REQUIRED, defaultValue = "false")
    protected String signingRequired;

    @Override
    protected List<Switch> switches() {
        List<Switch> out = new ArrayList<>(super.switches());
        out.add(new Switch(Properties.CCACHE, ccache, true));
        out.add(new Switch(Properties.INSTALL_BUILD_PACKAGES, installBuildPackages, false));
        out.add(new Switch(Properties.SKIP_SIGNATURES, skipSignatures, false));
        out.add(new Switch(Properties.S3_PATH_STYLE, s3PathStyle, false));
        out.add(new Switch(Properties.REBUILD_PUBLISHED, rebuildPublished, false));
        out.add(new Switch(Properties.SIGNING_REQUIRED, signingRequired, false));
        return out;
    }

    @Component
    private SettingsDecrypter settingsDecrypter;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    protected MavenProject project;

    @Component
    protected MavenProjectHelper projectHelper;

    /** One entry of {@code archives.json}, the {@code python-runtime} packaging's main artifact. */
    record PackedArchive(String target, String archive, String metadata) {
    }

    record PackedArchives(List<PackedArchive> archives) {
    }

    /**
     * The selected targets' archives, packed once per build and attached to the project (type {@code tar.zst},
     * classifier = the target id); or, when {@code repack} is false, the ones already on disk that are up to date.
     *
     * @param outputTimestamp the archive entries' time, as the goals' {@code outputTimestamp} parameter takes it
     */
    protected List<Pack.Packaged> packaged(boolean repack, String outputTimestamp) throws UserError, IOException {
        return oncePerBuild(Pack.Packaged.class.getName(), () -> {
            Pack packager = new Pack(console(), EntryTime.resolve(outputTimestamp,
                    System.getenv("SOURCE_DATE_EPOCH")), Provenance.origin(manifest.toPath()));
            List<Pack.Packaged> packed = packager.packAll(compiled(), outputDirectory.toPath(), repack);
            for (Pack.Packaged p : packed) {
                projectHelper.attachArtifact(project, "tar.zst", p.plan().target().id(), p.archive().toFile());
            }
            if (PythonRuntimePackaging.PACKAGING.equals(project.getPackaging())) {
                writeArchivesJson(packed);
            }
            return packed;
        });
    }

    /** The selected targets' archives, each proven by verify once per build; fails listing every failed check. */
    protected List<Pack.Packaged> verified(String outputTimestamp) throws UserError, IOException {
        return oncePerBuild(Verifier.class.getName(), () -> {
            List<Pack.Packaged> archives = packaged(false, outputTimestamp);
            if (!archives.isEmpty()) {
                new Verify(console(), HostInfo.detect(), containers()).verifyAll(archives);
            }
            return archives;
        });
    }

    /**
     * In the {@code python-runtime} packaging, a goal that packs nothing (skipped, or only verifying a given archive)
     * still gives the project its main artifact, an {@code archives.json} that lists nothing, so {@code install} and
     * {@code deploy} have a file to carry.
     */
    protected void noArchives() throws UserError, IOException {
        if (PythonRuntimePackaging.PACKAGING.equals(project.getPackaging()) && project.getArtifact().getFile() == null) {
            writeArchivesJson(List.of());
        }
    }

    /** {@link #noArchives()} for a skipped goal. */
    protected void noArchivesWhenSkipped() throws MojoExecutionException, MojoFailureException {
        try {
            noArchives();
        } catch (UserError e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + outputDirectory + "/archives.json: " + e, e);
        }
    }

    /** The packaging's main artifact: what this build packed, so install and deploy have a file to carry. */
    private void writeArchivesJson(List<Pack.Packaged> packed) throws UserError, IOException {
        Directories.requireUsable(outputDirectory.toPath(), Setting.OUTPUT_DIRECTORY, MavenVocabulary.INSTANCE);
        Path list = outputDirectory.toPath().resolve("archives.json");
        Files.createDirectories(outputDirectory.toPath());
        List<PackedArchive> entries = new ArrayList<>();
        for (Pack.Packaged p : packed) {
            entries.add(new PackedArchive(p.plan().target().id(), p.archive().getFileName().toString(),
                    p.metadata().getFileName().toString()));
        }
        AtomicFiles.writeString(list, new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(new PackedArchives(entries)) + "\n");
        project.getArtifact().setFile(list.toFile());
    }

    /** The selected targets, compiled if they were not up to date; once per build, shared by the goals that follow. */
    protected List<Compile.Compiled> compiled() throws UserError, IOException {
        return oncePerBuild(Compile.Compiled.class.getName(), this::compile);
    }

    private List<Compile.Compiled> compile() throws UserError, IOException {
        var plans = plansToBuild();
        if (plans.isEmpty()) {
            return List.of();
        }
        Path ccacheDir = Path.of("/usr/lib/ccache");
        boolean ccache = on(Properties.CCACHE);
        boolean useCcache = ccache && Files.isDirectory(ccacheDir);
        if (ccache && !useCcache) {
            getLog().debug("ccache is not installed (no " + ccacheDir + "); compiling without it");
        }
        int parallel = (int) Numbers.parse(jobs, Runtime.getRuntime().availableProcessors(), Setting.JOBS, 1, 1024,
                "make jobs", 8, MavenVocabulary.INSTANCE);
        Path keys = manifest.toPath().toAbsolutePath().getParent().resolve("keys");
        SourceFetcher fetcher = new SourceFetcher(sourceCache.toPath(), keys, session.isOffline(), AptSources.system(),
                console(), on(Properties.SKIP_SIGNATURES), proxy());
        return new Compile(console(), HostInfo.detect(), fetcher::fetch, new CPythonBuild.Options(parallel,
                useCcache ? ccacheDir : null), on(Properties.INSTALL_BUILD_PACKAGES), containers(),
                on(Properties.SKIP_SIGNATURES)).run(plans, outputDirectory.toPath());
    }

    /**
     * Whether this Maven invocation goes on to this plugin's deploy: this goal, the goal named on the command line, or
     * the deploy phase in a project that binds it (the {@code python-runtime} packaging, or an execution of it).
     */
    protected boolean deploys() {
        List<String> tasks = session.getGoals();
        return isDeploy() || DeployPlanned.goalIn(tasks) || DeployPlanned.phaseIn(tasks) && deployBound();
    }

    /** Whether this goal is the one that publishes: the deploy goal says so of itself. */
    protected boolean isDeploy() {
        return false;
    }

    private boolean deployBound() {
        MavenProject p = session.getCurrentProject();
        if (p == null) {
            return false;
        }
        if (PythonRuntimePackaging.PACKAGING.equals(p.getPackaging())) {
            return true;
        }
        Plugin plugin = p.getPlugin(DeployPlanned.GROUP_ID + ":" + DeployPlanned.ARTIFACT_ID);
        return plugin != null && plugin.getExecutions().stream().anyMatch(e -> e.getGoals().contains("deploy"));
    }

    /**
     * The selected targets that this build has to build: all of them, except, in a build that goes on to deploy,
     * those whose archive is already published (unless {@code rebuildPublished}). A build that deploys checks the
     * repository first either way: offline, an unreachable repository or an index this version cannot read fail here,
     * before anything is built.
     */
    protected List<BuildPlan> plansToBuild() throws UserError, IOException {
        List<BuildPlan> plans = plans();
        if (plans.isEmpty() || !deploys()) {
            return plans;
        }
        Map<String, String> published = published();
        if (on(Properties.REBUILD_PUBLISHED)) {
            return plans;
        }
        return plans.stream().filter(p -> !published.containsKey(p.target().id())).toList();
    }

    /**
     * The selected targets whose archive is published, with its SHA-256, asked once per build before anything is
     * built; an index this version cannot read fails here.
     */
    protected Map<String, String> published() throws UserError, IOException {
        return oncePerBuild("published-archives " + repository, () -> {
            refuseOffline();
            Map<String, String> out = new LinkedHashMap<>();
            try (Repository repo = openRepository()) {
                Publisher publisher = new Publisher(console(), repo, "", true, Clock.systemUTC())
                        .signingWith(signingKey().orElse(null));
                publisher.checkIndex();
                for (BuildPlan plan : plans()) {
                    Optional<String> sha256 = publisher.published(plan.archive().name());
                    if (sha256.isPresent()) {
                        out.put(plan.target().id(), sha256.get());
                        console().info(plan.target().id() + ": already published at " + publisher.url(plan.archive()
                                .name()) + " (sha256 " + sha256.get() + "): " + (on(Properties.REBUILD_PUBLISHED)
                                ? "built again to compare (" + Properties.REBUILD_PUBLISHED + "=true)"
                                : "not built (" + Properties.REBUILD_PUBLISHED + "=true builds it to compare)"));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The key deploy signs with, read once per build, before anything is built: none (with a warning) when there is
     * none and nothing requires one; an error when the manifest or {@code signing.required} does.
     */
    protected Optional<SigningKey> signingKey() throws UserError, IOException {
        return oncePerBuild("signing-key", () -> {
            String requiredBy = on(Properties.SIGNING_REQUIRED) ? Properties.SIGNING_REQUIRED + "=true"
                    : ManifestLoader.load(manifest.toPath()).publish().signingRequired() ? "publish.signing: required in "
                    + manifest : null;
            return Optional.ofNullable(SigningKey.forDeploy(System.getenv(),
                    signingKeyFile == null ? null : signingKeyFile.getPath(), signingFingerprint,
                    requiredBy, console(), MavenVocabulary.INSTANCE));
        });
    }

    /** Refuses early, before anything is compiled, when the repository cannot be reached. */
    protected void refuseOffline() throws UserError {
        if (repository != null && repository.startsWith("s3://") && session.isOffline()) {
            throw new UserError("Maven is offline (-o): cannot publish to " + repository + "; run without -o, or "
                    + "publish to a file: repository");
        }
    }

    /** The repository {@link #repository} names. */
    protected Repository openRepository() throws UserError {
        return new RepositoryAccess(repository, s3Endpoint, s3Region, on(Properties.S3_PATH_STYLE), s3MultipartThreshold,
                s3PartSize, s3MaxAttempts, serverId).open(new MavenSettings(session.getSettings(), settingsDecrypter));
    }

    /** settings.xml's active {@code <proxy>}, decrypted (see {@link MavenSettings#proxy}), or null. */
    protected ProxySettings proxy() throws UserError {
        return new MavenSettings(session.getSettings(), settingsDecrypter).proxy();
    }
}
