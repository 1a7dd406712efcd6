// Start from the setup project's quick 3.11.2 (built with ccache, in another directory), copied into target/a.
evaluate(new File(itSources, 'shared/reuse-setup-build.groovy'))(basedir, 'target/a')
return true
