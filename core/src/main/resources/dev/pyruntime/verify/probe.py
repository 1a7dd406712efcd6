# Run by `verify` with the unpacked interpreter (-I -B): imports each module named on the command line and prints,
# as one JSON object, what it found, the modules compiled in, and sysconfig's variables (the text and number ones), which
# the checks compare with the plan and with where the tree is.
import importlib
import json
import os
import sys
import sysconfig

modules = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        modules[name] = None
    except BaseException as e:  # an import can fail in many ways; report each as text
        modules[name] = "%s: %s" % (type(e).__name__, e)

# The extension modules the imports above loaded from lib-dynload: the ones the manifest asked for.
loaded = sorted(n for n, m in list(sys.modules.items())
                if os.path.basename(os.path.dirname(getattr(m, "__file__", None) or "")) == "lib-dynload")

print(json.dumps({
    "version": "%d.%d.%d" % sys.version_info[:3],
    "prefix": sys.prefix,
    "modules": modules,
    "builtin": sorted(sys.builtin_module_names),
    "loaded": loaded,
    "sysconfig": {n: v for n, v in sysconfig.get_config_vars().items() if isinstance(v, (str, int))},
}))
