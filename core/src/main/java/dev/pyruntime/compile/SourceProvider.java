package dev.pyruntime.compile;

import dev.pyruntime.UserError;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Path;

/** Gives the build a verified source tarball for a plan. */
@FunctionalInterface
public interface SourceProvider {
    Path fetch(BuildPlan.SourceInfo source) throws UserError, IOException;
}
