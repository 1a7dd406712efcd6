// Start from the setup project's quick 3.11.2, copied into target/python-runtime.
evaluate(new File(itSources, 'shared/reuse-setup-build.groovy'))(basedir, 'target/python-runtime')
// The setup's manifest with a run image for debian-12 (verify-only: the plan, and so the copied build, is the same).
File manifest = new File(basedir, 'python.yaml')
assert manifest.text.contains('    executor: host\n')
manifest.text = manifest.text.replace('    executor: host\n', '    executor: host\n    runImage: "python-runtime/debian-12-run"\n')
// The bare run image, made without any registry (debootstrap --variant=minbase bookworm).
evaluate(new File(itSources, 'shared/debootstrap-image.groovy'))('bookworm', 'python-runtime/debian-12-run',
        containerEngine, containerEngineArgs)
return true
