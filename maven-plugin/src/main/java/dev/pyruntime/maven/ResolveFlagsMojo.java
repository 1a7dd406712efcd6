package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import java.io.IOException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Resolves each selected target's build plan: configure arguments (with {@code --build} from the target's build
 * environment), EXTRA_CFLAGS, CPPFLAGS, LDFLAGS and make variables, each with its origin. Writes
 * {@code <outputDirectory>/<target-id>/plan.json} and prints the plan as a table.
 *
 * @since 0.1.0
 */
@Mojo(name = "resolve-flags", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class ResolveFlagsMojo extends AbstractPlanningMojo {

    @Override
    protected void run() throws UserError, IOException {
        if (onlyVerifyingAnArchive("plan")) {
            return;
        }
        plans();
    }
}
