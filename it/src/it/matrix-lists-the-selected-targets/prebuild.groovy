// The real catalog of manifests/.
new File(basedir, 'python.yaml').text = new File(itSources, '../../../manifests/python.yaml').text
return true
