# Run by `verify` with the unpacked interpreter (-I -B): builds DIR/pyruntime_ext.c into an extension module the way
# build backends do (setuptools' distutils: CC CFLAGS CCSHARED -I INCLUDEPY -c, then LDSHARED -L LIBDIR), from this
# runtime's own sysconfig and nothing given by hand, imports it and calls it. Prints one JSON object: the commands run,
# the module built, and what went wrong, if anything.
import importlib
import json
import os
import shlex
import subprocess
import sys
import sysconfig

work = sys.argv[1]
source = os.path.join(work, "pyruntime_ext.c")
obj = os.path.join(work, "pyruntime_ext.o")
cc, cflags, ccshared, ldshared, includepy, libdir, suffix = sysconfig.get_config_vars(
    "CC", "CFLAGS", "CCSHARED", "LDSHARED", "INCLUDEPY", "LIBDIR", "EXT_SUFFIX")
module = os.path.join(work, "pyruntime_ext" + suffix)
compile_cmd = shlex.split(cc) + shlex.split(cflags) + shlex.split(ccshared) + ["-I" + includepy, "-c", source, "-o", obj]
link_cmd = shlex.split(ldshared) + [obj, "-L" + libdir, "-o", module]
out = {"INCLUDEPY": includepy, "compile": compile_cmd, "link": link_cmd, "module": module, "error": None}
for step in (compile_cmd, link_cmd):
    r = subprocess.run(step, cwd=work, capture_output=True, text=True)
    if r.returncode != 0:
        out["error"] = "%s failed (exit %d): %s" % (step[0], r.returncode, (r.stdout + r.stderr).strip()[-1500:])
        break
else:
    try:
        sys.path.insert(0, work)
        gil_before = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None
        m = importlib.import_module("pyruntime_ext")
        out["result"] = m.add(2, 3)
        out["file"] = m.__file__
        # A free-threaded runtime turns the GIL on when a module that does not declare Py_MOD_GIL_NOT_USED is
        # imported; ours declares it, so it must stay off.
        out["gil_before"] = gil_before
        out["gil_enabled"] = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None
        if out["result"] != 5:
            out["error"] = "pyruntime_ext.add(2, 3) returned %r" % (out["result"],)
    except BaseException as e:
        out["error"] = "import failed: %s: %s" % (type(e).__name__, e)
print(json.dumps(out))
