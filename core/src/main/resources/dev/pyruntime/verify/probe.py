# Run by `verify` with the unpacked interpreter (-I -B): imports each module named on the command line and prints,
# as one JSON object, what it found, the modules compiled in, and sysconfig's variables (the text and number ones), which
# the checks compare with the plan and with where the tree is.
import importlib
import json
import os
import sys
import sysconfig

def gil():
    return sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None


# Whether the GIL is on once the interpreter has started (3.13+; None before), and which import turned it on, if one
# did: a free-threaded runtime turns it on for an extension module that does not declare it runs without it.
gil_at_start = gil()
gil_turned_on_by = None
modules = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        modules[name] = None
    except BaseException as e:  # an import can fail in many ways; report each as text
        modules[name] = "%s: %s" % (type(e).__name__, e)
    if gil_turned_on_by is None and gil_at_start is False and gil():
        gil_turned_on_by = name

# The extension modules the imports above loaded from lib-dynload: the ones the manifest asked for.
loaded = sorted(n for n, m in list(sys.modules.items())
                if os.path.basename(os.path.dirname(getattr(m, "__file__", None) or "")) == "lib-dynload")

print(json.dumps({
    "version": "%d.%d.%d" % sys.version_info[:3],
    "prefix": sys.prefix,
    "modules": modules,
    "builtin": sorted(sys.builtin_module_names),
    "loaded": loaded,
    # What the build is (its variant): the ABI flags (t: free-threaded, d: debug), the GIL, and the debug build's
    # reference total.
    "abiflags": sys.abiflags,
    "gil_enabled": gil_at_start,
    "gil_turned_on_by": gil_turned_on_by,
    "gettotalrefcount": hasattr(sys, "gettotalrefcount"),
    "sysconfig": {n: v for n, v in sysconfig.get_config_vars().items() if isinstance(v, (str, int))},
}))
