// Start from the setup project's quick 3.11.2, copied into target/python-runtime.
evaluate(new File(itSources, 'shared/reuse-setup-build.groovy'))(basedir, 'target/python-runtime')
return true
