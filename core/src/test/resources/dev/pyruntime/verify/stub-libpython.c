/* A stand-in libpython for RuntimeChecksTest: just the functions embed.c calls. Py_GetVersion answers
 * STUB_VERSION, sys.prefix is PYTHONHOME, and importing "missing" fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "Python.h"

struct _object { int unused; };
static struct _object module;

void Py_Initialize(void) {}
int Py_FinalizeEx(void) { return 0; }
const char *Py_GetVersion(void) { return STUB_VERSION " (stub) [GCC]"; }
PyObject *PyImport_ImportModule(const char *name) { return strcmp(name, "missing") == 0 ? NULL : &module; }
void PyErr_Print(void) { fputs("ModuleNotFoundError: No module named 'missing'\n", stderr); }
void Py_XDECREF(PyObject *o) { (void) o; }
PyObject *PySys_GetObject(const char *name) { return strcmp(name, "prefix") == 0 ? &module : NULL; }
int PyUnicode_Check(PyObject *o) { return o == &module; }
const char *PyUnicode_AsUTF8(PyObject *o) { (void) o; return getenv("PYTHONHOME"); }
