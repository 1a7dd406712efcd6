# Run by `verify` with the unpacked interpreter (-I -B): imports each module named on the command line and prints,
# as one JSON object, what it found, the modules compiled in, and the sysconfig variables the checks compare with the plan.
import importlib
import json
import sys
import sysconfig

modules = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
        modules[name] = None
    except BaseException as e:  # an import can fail in many ways; report each as text
        modules[name] = "%s: %s" % (type(e).__name__, e)

names = ("CONFIG_ARGS", "CFLAGS", "CPPFLAGS", "LDFLAGS", "LDVERSION", "prefix")
print(json.dumps({
    "version": "%d.%d.%d" % sys.version_info[:3],
    "prefix": sys.prefix,
    "modules": modules,
    "builtin": sorted(sys.builtin_module_names),
    "sysconfig": {n: sysconfig.get_config_var(n) for n in names},
}))
