package dev.pyruntime.maven;

import dev.pyruntime.UserError;
import dev.pyruntime.archive.Packager;
import dev.pyruntime.env.BuildEnvironment;
import dev.pyruntime.env.Environments;
import dev.pyruntime.env.HostInfo;
import dev.pyruntime.manifest.ManifestLoader;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.verify.RunImages;
import dev.pyruntime.verify.Verifier;
import dev.pyruntime.verify.VerifySpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Proves each selected target's archive before it leaves: unpacks it safely into a fresh directory and checks its
 * checksum, layout, byte-code, ELF hardening, libraries, modules and sysconfig against the plan. Prints a table,
 * writes {@code <outputDirectory>/<target-id>/verify-report.json}, and fails listing every failed check. Archives
 * that are missing or stale are packed first (and targets compiled first); an archive already packed from the current
 * build is verified as it is on disk.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class VerifyMojo extends PackageMojo {

    @Override
    protected void run() throws UserError, IOException {
        verified();
    }

    /** The selected targets' archives, each proven by verify (once per build); fails listing every failed check. */
    protected List<Packager.Packaged> verified() throws UserError, IOException {
        return oncePerBuild(Verifier.class.getName(), this::verifyAll);
    }

    private List<Packager.Packaged> verifyAll() throws UserError, IOException {
        List<Packager.Packaged> archives = packaged(false);
        if (archives.isEmpty()) {
            return archives;
        }
        Manifest m = ManifestLoader.load(manifest.toPath());
        List<Verifier.Result> failed = new ArrayList<>();
        try (Environments envs = new Environments(console(), HostInfo.detect(), containers())) {
            RunImages runImages = new RunImages() {
                @Override
                public void requireAvailable(String target, String image) throws UserError {
                    envs.requireImage(target, image);
                }

                @Override
                public BuildEnvironment open(String target, String image, String distro, String arch,
                                             List<String> packages, java.nio.file.Path mount) throws UserError {
                    return envs.forTarget(target, image, distro, arch, packages, mount);
                }

                @Override
                public void release(BuildEnvironment env) {
                    envs.release(env);
                }
            };
            for (Packager.Packaged p : archives) {
                // The runtime checks run where the target was built: a container target's in its distro's image.
                BuildEnvironment env = envs.forTarget(p.plan().target().id(), p.plan().environment().image(),
                        p.plan().target().distro(), p.plan().target().arch(), p.plan().buildPackages(), p.workDir());
                Verifier.Result r;
                try {
                    r = new Verifier(console(), env, runImages).verify(p.plan(), VerifySpec.of(p.plan(), m), p.archive(),
                            p.workDir());
                } finally {
                    envs.release(env);
                }
                if (!r.failures().isEmpty()) {
                    failed.add(r);
                }
            }
        }
        if (!failed.isEmpty()) {
            throw Verifier.failure(failed);
        }
        return archives;
    }
}
