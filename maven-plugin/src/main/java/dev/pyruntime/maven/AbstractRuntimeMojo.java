package dev.pyruntime.maven;

import dev.pyruntime.Console;
import dev.pyruntime.Switches;
import dev.pyruntime.UserError;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** Parameters every goal shares, and the mapping of core outcomes onto Maven's. */
public abstract class AbstractRuntimeMojo extends AbstractMojo {

    /**
     * The manifest to read. Example: {@code -Dpython-runtime.manifest=catalog/python.yaml}.
     */
    @Parameter(property = Properties.MANIFEST, defaultValue = "${project.basedir}/python.yaml", required = true)
    protected File manifest;

    /**
     * Which targets to work on: comma-separated globs over target ids. Left out, every target; given, it must name
     * one, so an empty value (an unset CI variable) fails instead of selecting all, and {@code *} selects all.
     * Example: {@code -Dpython-runtime.targets=3.11.2-debian-12-amd64,3.13.*-debian-12-*}.
     */
    @Parameter(property = Properties.TARGETS)
    protected String targets;

    /**
     * Profiles of the manifest to apply after its defaults and overrides, comma-separated, in order.
     * Example: {@code -Dpython-runtime.profile=quick}.
     */
    @Parameter(property = Properties.PROFILE)
    protected String profile;

    /**
     * Skips the goal: {@code true} or {@code false}. Example: {@code -Dpython-runtime.skip=true}.
     */
    @Parameter(property = Properties.SKIP, defaultValue = "false")
    protected String skip;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        checkPropertyNames();
        readSwitches();
        if (on(Properties.SKIP)) {
            getLog().info("Skipping (" + Properties.SKIP + "=true)");
            skipped();
            return;
        }
        if (!manifest.exists() && session.getUserProperties().containsKey(Properties.MANIFEST)) {
            // Named on the command line: a typo must not pass for "nothing to do".
            throw new MojoFailureException("No manifest at " + manifest + " (named by -D" + Properties.MANIFEST + "="
                    + session.getUserProperties().getProperty(Properties.MANIFEST) + ", a relative path is taken from "
                    + "the project's directory). Check the path.");
        }
        if (!manifest.exists() && session.getCurrentProject() != null
                && "pom".equals(session.getCurrentProject().getPackaging())) {
            // A parent or aggregator of manifest repos (such as python-runtime-manifest-parent itself): nothing to build.
            getLog().info("No manifest at " + manifest + ": nothing to do in this pom project");
            return;
        }
        if (!manifest.exists() || manifest.isDirectory()) {
            throw new MojoFailureException("No manifest file at " + manifest + ": create it, or point -D"
                    + Properties.MANIFEST + " at the manifest's YAML file");
        }
        try {
            run();
        } catch (UserError e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new MojoFailureException("Permission denied: " + e.getFile() + (e.getOtherFile() == null ? ""
                    : " -> " + e.getOtherFile()) + "; make it writable, or point " + Properties.OUTPUT_DIRECTORY
                    + " / " + Properties.PREFIX + "sourceCache elsewhere", e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new MojoExecutionException(e.toString(), e);
        }
    }

    /** Refuses a misspelt {@code python-runtime.*} property, on the command line or in the POM, before anything runs. */
    private void checkPropertyNames() throws MojoFailureException {
        Map<String, String> names = new java.util.TreeMap<>();
        if (session.getCurrentProject() != null) {
            for (String name : session.getCurrentProject().getProperties().stringPropertyNames()) {
                names.put(name, "<" + name + "> in the <properties> of " + session.getCurrentProject().getId()
                        + " (its POM's, a parent's or an active profile's)");
            }
        }
        for (String name : session.getUserProperties().stringPropertyNames()) {
            names.put(name, "-D" + name);
        }
        List<String> problems = UnknownProperties.problems(names);
        if (!problems.isEmpty()) {
            throw new MojoFailureException(String.join("\n", problems)
                    + "\nA misspelt property would be ignored, and the build would run without it: fix the name.");
        }
    }

    /**
     * A true-or-false parameter of a goal: its property, its value as given and its default. Such parameters are
     * Strings read by {@link Switches}, not booleans: Maven converts any value but {@code true} to false, so
     * {@code -Dpython-runtime.skip=yes} would run the goal without a word.
     */
    protected record Switch(String property, String value, boolean unset) {
    }

    private final Map<String, Boolean> switchValues = new java.util.HashMap<>();

    /** The goal's true-or-false parameters; a goal with more adds its own to its parent's. */
    protected List<Switch> switches() {
        return List.of(new Switch(Properties.SKIP, skip, false));
    }

    /** Reads every true-or-false parameter before the goal does anything, refusing a value that is neither. */
    private void readSwitches() throws MojoFailureException {
        for (Switch s : switches()) {
            try {
                switchValues.put(s.property(), Switches.parse(s.property(), s.value(), s.unset()));
            } catch (UserError e) {
                throw new MojoFailureException(e.getMessage(), e);
            }
        }
    }

    /** A true-or-false parameter's value, read by {@link #readSwitches()}. */
    protected boolean on(String property) {
        Boolean value = switchValues.get(property);
        if (value == null) {
            throw new IllegalStateException(property + " is not a true-or-false parameter of " + getClass().getName());
        }
        return value;
    }

    /** What a skipped goal still owes the build; nothing by default. */
    protected void skipped() throws MojoExecutionException, MojoFailureException {
    }

    /** The goal's work, calling the core. */
    protected abstract void run() throws UserError, IOException;

    protected Console console() {
        boolean statusLine = TerminalStatus.wanted(session.getRequest().isInteractiveMode(), System.console() != null,
                session.isParallel(), getLog().isDebugEnabled(), System.getenv("TERM"));
        TerminalStatus terminal = TerminalStatus.STDOUT;
        return new Console() {
            @Override
            public dev.pyruntime.Vocabulary words() {
                return MavenVocabulary.INSTANCE;
            }

            @Override
            public void info(String line) {
                terminal.around(() -> getLog().info(line));
            }

            @Override
            public void warn(String line) {
                terminal.around(() -> getLog().warn(line));
            }

            @Override
            public void debug(String line) {
                terminal.around(() -> getLog().debug(line));
            }

            @Override
            public boolean isDebug() {
                return getLog().isDebugEnabled();
            }

            @Override
            public boolean hasStatusLine() {
                return statusLine;
            }

            @Override
            public void status(String line) {
                if (line == null) {
                    terminal.clear();
                } else if (statusLine) {
                    terminal.show(line);
                }
            }
        };
    }
}
