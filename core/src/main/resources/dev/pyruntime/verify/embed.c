/*
 * Compiled by `verify` against the unpacked runtime's headers and libpython, the way an application embeds Python:
 * starts the interpreter from the shared library (PYTHONHOME names the tree), imports each module named on the command
 * line (extension modules then resolve their symbols against libpython, not against bin/python) and prints one line:
 * "embedded <version> <sys.prefix>". Exit status: 0, or 1 if an import failed (the traceback is on stderr).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    Py_Initialize();
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        PyObject *module = PyImport_ImportModule(argv[i]);
        if (module == NULL) {
            fprintf(stderr, "cannot import %s:\n", argv[i]);
            PyErr_Print();
            failed = 1;
        }
        Py_XDECREF(module);
    }
    PyObject *prefix = PySys_GetObject("prefix"); /* borrowed */
    const char *p = prefix != NULL && PyUnicode_Check(prefix) ? PyUnicode_AsUTF8(prefix) : "?";
    const char *version = Py_GetVersion(); /* the library's, not the headers': "3.11.2 (main, ...) [GCC ...]" */
    printf("embedded %.*s %s\n", (int) strcspn(version, " "), version, p);
    fflush(stdout);
    if (Py_FinalizeEx() < 0) {
        return 1;
    }
    return failed;
}
