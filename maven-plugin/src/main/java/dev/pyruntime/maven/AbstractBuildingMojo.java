package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.build.CPythonBuild;
import dev.pyruntime.build.Compile;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.source.AptSources;
import dev.pyruntime.source.SourceFetcher;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that need compiled targets ({@code compile}, {@code package}, {@code verify}): each brings its targets up
 * to date through the same core, so a goal called on its own builds what is missing or stale, and a lifecycle run
 * compiles once.
 */
public abstract class AbstractBuildingMojo extends AbstractRuntimeMojo {

    /**
     * Parallel make jobs. Defaults to the number of processors. Example: {@code -Dpython-runtime.jobs=8}.
     */
    @Parameter(property = Properties.JOBS)
    protected Integer jobs;

    /**
     * Use ccache when it is installed (its compiler links in /usr/lib/ccache go first on PATH, so nothing of it is
     * recorded in the runtime's sysconfig). Example: {@code -Dpython-runtime.ccache=false}.
     */
    @Parameter(property = Properties.CCACHE, defaultValue = "true")
    protected boolean ccache;

    /**
     * Install missing build packages with apt-get (needs root) instead of failing with the install command.
     * Example: {@code -Dpython-runtime.installBuildPackages=true}.
     */
    @Parameter(property = Properties.INSTALL_BUILD_PACKAGES, defaultValue = "false")
    protected boolean installBuildPackages;

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
    protected boolean skipSignatures;

    /** The selected targets, compiled if they were not up to date; once per build, shared by the goals that follow. */
    protected List<Compile.Compiled> compiled() throws UserError, IOException {
        return oncePerBuild(Compile.Compiled.class.getName(), this::compile);
    }

    private List<Compile.Compiled> compile() throws UserError, IOException {
        var plans = plans();
        if (plans.isEmpty()) {
            return List.of();
        }
        Path ccacheDir = Path.of("/usr/lib/ccache");
        boolean useCcache = ccache && Files.isDirectory(ccacheDir);
        if (ccache && !useCcache) {
            getLog().debug("ccache is not installed (no " + ccacheDir + "); compiling without it");
        }
        int parallel = jobs != null && jobs > 0 ? jobs : Runtime.getRuntime().availableProcessors();
        Path keys = manifest.toPath().toAbsolutePath().getParent().resolve("keys");
        SourceFetcher fetcher = new SourceFetcher(sourceCache.toPath(), keys, session.isOffline(), AptSources.system(),
                console(), skipSignatures);
        return new Compile(console(), HostInfo.detect(), fetcher::fetch, new CPythonBuild.Options(parallel,
                useCcache ? ccacheDir : null), installBuildPackages, containers(), skipSignatures).run(plans, outputDirectory.toPath());
    }
}
