// The debian-13 build image, made without any registry: debootstrap trixie from this machine's apt archive, then
// import it (tools/debootstrap-image; it does nothing when the engine already has the image).
evaluate(new File(itSources, 'shared/debootstrap-image.groovy'))('trixie', 'python-runtime/debian-13-build',
        containerEngine, containerEngineArgs)

// The containers that exist before the build: another build on this machine may own some, and only this one's
// must be gone afterwards (verify.groovy).
def ps = ([containerEngine] + (containerEngineArgs.trim() ? containerEngineArgs.trim().split(/\s+/).toList() : [])
        + ['ps', '-a', '--format', '{{.Names}}']).execute()
String before = ps.text
assert ps.waitFor() == 0 : "listing containers failed: ${ps.err.text}"
new File(basedir, 'containers-before.txt').text = before

// The host target starts from the setup project's quick 3.11.2 (up to date here); this manifest adds debian-13 and
// 3.13.5 to the setup project's, which leaves the 3.11.2 plan as it was.
evaluate(new File(itSources, 'shared/reuse-setup-build.groovy'))(basedir, 'target/python-runtime')
String setup = new File(basedir, 'python.yaml').text
String withContainer = setup
        .replace('arches: [ amd64 ]', '''  debian-13:
    executor: container
    image: "python-runtime/debian-13-build"
    packages: [ build-essential, dpkg-dev, libbz2-dev, libexpat1-dev, libffi-dev, libgdbm-compat-dev, libgdbm-dev,
                liblzma-dev, libncurses-dev, libreadline-dev, libsqlite3-dev, libssl-dev, pkg-config, uuid-dev, xz-utils,
                zlib1g-dev ]
arches: [ amd64 ]''')
        .replace('versions:\n', '''versions:
  - { version: 3.13.5, file: Python-3.13.5.tar.xz, sha256: 93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640 }
''')
// 3.13.5 is built free-threaded (issue 36): its default build would be one more 3.13.5 build in the test run, which
// the ITs keep few; the free-threaded one proves a variant from the manifest to its verified, t-named archive.
withContainer += '''variants:
  freethreaded:
    description: "free-threaded (PEP 703): no GIL"
    versions: ">=3.13"
    configure: { add: [ --disable-gil ] }
overrides:
  - when: { version: 3.13.5, distro: debian-12 }
    exclude: true
  - when: { version: 3.13.5, distro: debian-13, variant: default }
    exclude: true
  - when: { version: 3.11.2, distro: debian-13 }
    exclude: true
'''
assert withContainer.contains('debian-13:') && withContainer.contains('3.13.5') : 'the setup manifest changed shape:\n' + setup
new File(basedir, 'python.yaml').text = withContainer
new File(basedir, 'missing-image.yaml').text = withContainer.replace('python-runtime/debian-13-build', 'python-runtime/no-such-image')
return true
