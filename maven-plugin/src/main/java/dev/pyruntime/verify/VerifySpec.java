package dev.pyruntime.verify;

import dev.pyruntime.flags.Flag;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.manifest.PythonVersion;
import dev.pyruntime.plan.BuildPlan;
import dev.pyruntime.plan.RequiredModules;
import java.util.List;

/**
 * What {@code verify} requires of one target's archive beyond the rest of its plan.
 *
 * @param modules modules that must import
 * @param bin     globs of what {@code bin/} may hold
 */
public record VerifySpec(List<String> modules, List<String> bin) {

    /**
     * The plan's required modules (the plugin's defaults for the series, edited by the manifest's {@code verify.modules}
     * and its overrides' and profiles' {@code verifyModules}); a plan written before plans carried them gets the
     * defaults for its version.
     */
    public static VerifySpec of(BuildPlan plan, Manifest.Verify manifest) {
        List<Flag> modules = plan.verifyModules();
        if (modules.isEmpty()) {
            modules = RequiredModules.defaults(PythonVersion.parse(plan.target().version()).orElseThrow(
                    () -> new IllegalArgumentException("not a version: " + plan.target().version())));
        }
        return new VerifySpec(modules.stream().map(Flag::value).toList(), manifest.bin());
    }
}
