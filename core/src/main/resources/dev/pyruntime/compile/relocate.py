# Run by `compile` with the staged interpreter, after make install and cleanup, before byte-compiling:
#   python3 -I -B -c <this> ROOT PREFIX STDLIB_DIR [--drop REGEX ...] [--tool-dir DIR ...] [--tool-prefix TRIPLET- ...]
# makes the installed tree (ROOT, built for --prefix=PREFIX) right wherever it is unpacked. Every change is printed,
# one line per file, for the build log; the output is the same for the same input (the archive stays reproducible).
#
# - lib/pythonX.Y/_sysconfigdata_*.py: every value that names PREFIX is computed from the file's own location, so
#   sysconfig.get_config_var('INCLUDEPY'), 'LIBDIR', 'prefix', ... name the tree (from a venv: its base runtime).
#   CONFIG_ARGS stays as configure was given it: the record of how the runtime was built. Tokens that only made
#   sense for our own build (the --drop regexes: our rpath, --strip-all, the build directory's -f*-prefix-map) are
#   removed from every other value, so consumers' extension builds (LDSHARED, CFLAGS, LDFLAGS) do not inherit them.
#   A cross build's tools (aarch64-linux-gnu-gcc, -g++, -ar, ...; --tool-prefix) are named as a native build names
#   them (gcc, g++, ar): the runtime runs on a machine of its own arch, whose compiler is gcc.
# - lib/pythonX.Y/config-*/Makefile: the same tokens dropped; prefix computed by make from the Makefile's location.
# - lib/pkgconfig/*.pc: prefix=${pcfiledir}/../.. (pkg-config's own relocation variable).
# - bin/pythonX.Y-config (CPython's shell script, which already finds its own prefix): PREFIX -> ${prefix_real}.
# - Scripts whose shebang names PREFIX/bin/... (2to3, python-config.py): a /bin/sh trampoline that runs the
#   interpreter beside them, found from the script's own real path.
# - 3.14+: build-details.json (PEP 739) with paths relative to its own directory, as PEP 739 allows (and no
#   libpython.static once the manifest's cleanup removed it);
#   _sysconfig_vars_*.json, a static snapshot of get_config_vars() that nothing in the runtime reads and that cannot
#   be true after a move, is removed.
import json
import os
import re
import sys

# STDLIB_DIR: the standard library's directory under lib/, python3.13 (a free-threaded build's python3.13t).
root, prefix, stdlib_dir = sys.argv[1], sys.argv[2], sys.argv[3]
args = sys.argv[4:]
drops = [re.compile(args[i + 1]) for i in range(0, len(args), 2) if args[i] == "--drop"]
tool_dirs = [args[i + 1].rstrip("/") + "/" for i in range(0, len(args), 2) if args[i] == "--tool-dir"]
tool_prefixes = [args[i + 1] for i in range(0, len(args), 2) if args[i] == "--tool-prefix"]
libdest = os.path.join(root, "lib", stdlib_dir)


def report(path, what):
    print("%s: %s" % (os.path.relpath(path, root), what))


def drop_tokens(value):
    """The value without the tokens a --drop regex matches, and with a --tool-dir's path taken off the tools named
    through it (configure records CXX as /usr/lib/ccache/g++ when ccache's links come first on PATH); untouched
    (spacing and all) when neither applies."""
    tokens = value.split()
    kept = [t for t in tokens if not any(d.fullmatch(t.replace("\\$", "$")) for d in drops)]
    kept = [untool(t) for t in kept]
    return value if kept == tokens else " ".join(kept)


def untool(token):
    for d in tool_dirs:
        if token.startswith(d) and "/" not in token[len(d):]:
            token = token[len(d):]
            break
    for p in tool_prefixes:
        if token.startswith(p) and "/" not in token and len(token) > len(p):
            return token[len(p):]
    return token


# PREFIX as a whole path: followed by '/', the end, white space or a quote (not /usr in /usr2 or /usrlocal).
PREFIX_RE = re.compile(re.escape(prefix) + r"(?=/|$|[\s'\":;])")


def expression(value):
    """A Python expression for a string value, with PREFIX as the computed _prefix."""
    if not PREFIX_RE.search(value):
        return repr(value)
    parts = PREFIX_RE.split(value)
    terms = []
    for i, part in enumerate(parts):
        if i > 0:
            terms.append("_prefix")
        if part:
            terms.append(repr(part))
    return " + ".join(terms)


def sysconfigdata(path):
    namespace = {}
    with open(path, encoding="utf-8") as f:
        exec(compile(f.read(), path, "exec"), namespace)
    data = namespace["build_time_vars"]
    depth = os.path.relpath(os.path.dirname(path), root).count(os.sep) + 1
    lines = [
        "# system configuration generated and used by the sysconfig module",
        "# Made relocatable by python-runtime: paths under the install prefix are computed from this file's location,",
        "# CONFIG_ARGS is the record of how the runtime was built, and flags only its own build needed are left out.",
        "import os as _os",
        "import sys as _sys",
        "# Read as text without a file (PyO3's cross-compile parser pipes it to an interpreter): that one's base prefix.",
        "_prefix = " + "_os.path.dirname(" * (depth + 1) + "_os.path.abspath(__file__)" + ")" * (depth + 1)
        + " if globals().get('__file__') else _sys.base_prefix",
        "build_time_vars = {",
    ]
    dropped = 0
    for key in sorted(data):
        value = data[key]
        if isinstance(value, str) and key != "CONFIG_ARGS":
            new = drop_tokens(value)
            dropped += new != value
            value = new
        if isinstance(value, str) and key != "CONFIG_ARGS":
            lines.append("    %r: %s," % (key, expression(value)))
        else:
            lines.append("    %r: %r," % (key, value))
    lines += ["}", "del _os, _sys"]
    write(path, "\n".join(lines) + "\n")
    report(path, "prefix computed from the file's location; build-only flags dropped from %d values" % dropped)


MAKE_PREFIX = ("# python-runtime: this Makefile's own location (lib/pythonX.Y/config-*/), so prefix follows the tree.\n"
               "python_runtime_makefile_dir := $(dir $(lastword $(MAKEFILE_LIST)))\n")


def makefile(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = [MAKE_PREFIX.rstrip("\n")]
    dropped = 0
    assignment = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(\s*[:+?]?=\s*)(.*)$")
    for line in lines:
        m = assignment.match(line)
        if m and m.group(1) != "CONFIG_ARGS":
            name, op, value = m.groups()
            if name == "prefix" and value.strip() == prefix:
                value = "$(abspath $(python_runtime_makefile_dir)../../..)"
            else:
                new = drop_tokens(value)
                dropped += new != value
                value = PREFIX_RE.sub("$(prefix)", new)
            line = name + op + value
        out.append(line)
    write(path, "\n".join(out))
    report(path, "prefix computed by make from the Makefile's location; build-only flags dropped from %d values" % dropped)


def pkgconfig(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out = []
    for line in lines:
        if line.startswith("prefix=") and line[len("prefix="):].strip() == prefix:
            line = "prefix=${pcfiledir}/../.."
        else:
            line = PREFIX_RE.sub("${prefix}", line)
        out.append(line)
    write(path, "\n".join(out))
    report(path, "prefix=${pcfiledir}/../..")


def shell_config(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if "prefix_real=$(installed_prefix" not in text:
        return False
    write(path, PREFIX_RE.sub("${prefix_real}", text))
    report(path, "the install prefix replaced by the script's own ${prefix_real}")
    return True


def trampoline(path, first_line, rest):
    interpreter = first_line[2:].strip().split()[0]
    relative = os.path.relpath(os.path.join(root, os.path.relpath(interpreter, prefix)), os.path.dirname(path))
    # Valid as sh and as Python: sh runs the exec line; Python sees a string literal, then the script.
    head = ("#!/bin/sh\n"
            "'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")/%s\" \"$0\" \"$@\"\n"
            "' '''\n") % relative
    write(path, head + rest)
    report(path, "shebang %s -> /bin/sh trampoline to %s" % (interpreter, relative))


def write(path, text):
    mode = os.stat(path).st_mode
    tmp = path + ".relocate-tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.chmod(tmp, mode & 0o7777)
    os.replace(tmp, path)


def build_details(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    base = data.get("base_prefix")
    if not isinstance(base, str) or not base.startswith(prefix):
        return
    here = os.path.dirname(path)
    # PEP 739: base_prefix relative to the file's directory; the other paths relative to base_prefix, as ./path.
    data["base_prefix"] = os.path.relpath(os.path.join(root, os.path.relpath(base, prefix)), here)
    for keys in (("base_interpreter",), ("libpython", "dynamic"), ("libpython", "dynamic_stableabi"),
                 ("libpython", "static"), ("c_api", "headers"), ("c_api", "pkgconfig_path")):
        container = data
        for k in keys[:-1]:
            container = container.get(k, {})
        value = container.get(keys[-1])
        if isinstance(value, str) and os.path.isabs(value):
            container[keys[-1]] = os.path.join(".", os.path.relpath(value, base))
    # A static libpython the manifest's cleanup removed is not there to link with.
    static = data.get("libpython", {}).get("static")
    if isinstance(static, str) and not os.path.exists(os.path.join(root, static)):
        del data["libpython"]["static"]
    write(path, json.dumps(data, indent=2) + "\n")
    report(path, "paths relative to the file (PEP 739)")


def main():
    for name in sorted(os.listdir(libdest)):
        path = os.path.join(libdest, name)
        if name.startswith("_sysconfigdata_") and name.endswith(".py"):
            sysconfigdata(path)
        elif name.startswith("_sysconfig_vars_") and name.endswith(".json"):
            os.remove(path)
            report(path, "removed: a static snapshot of the build prefix's config vars, which nothing reads")
        elif name == "build-details.json":
            build_details(path)
        elif name.startswith("config-") and os.path.isfile(os.path.join(path, "Makefile")):
            makefile(os.path.join(path, "Makefile"))
    pcdir = os.path.join(root, "lib", "pkgconfig")
    if os.path.isdir(pcdir):
        for name in sorted(os.listdir(pcdir)):
            path = os.path.join(pcdir, name)
            if name.endswith(".pc") and not os.path.islink(path):
                pkgconfig(path)
    shebang = ("#!" + prefix + "/bin/python").encode()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                head = f.read(len(shebang))
            if head != shebang:
                if dirpath == os.path.join(root, "bin") and name.endswith("-config"):
                    shell_config(path)
                continue
            with open(path, encoding="utf-8") as f:
                first, _, rest = f.read().partition("\n")
            trampoline(path, first, rest)


main()
