/* An application that embeds the runtime: built with pkg-config's python-3.11-embed, run with PYTHONHOME. */
#include <Python.h>

int main(void) {
    Py_Initialize();
    int rc = PyRun_SimpleString("import sys, ssl; print(sys.version.split()[0], sys.prefix)");
    return Py_FinalizeEx() < 0 ? 1 : rc;
}
