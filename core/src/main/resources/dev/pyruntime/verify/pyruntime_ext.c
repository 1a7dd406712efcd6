/* Built by `verify` from the unpacked runtime's sysconfig, as a consumer's build backend would, then imported. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *add(PyObject *self, PyObject *args) {
    long a, b;
    if (!PyArg_ParseTuple(args, "ll", &a, &b)) {
        return NULL;
    }
    return PyLong_FromLong(a + b);
}

static PyMethodDef methods[] = {
    {"add", add, METH_VARARGS, "a + b"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "pyruntime_ext", NULL, -1, methods};

PyMODINIT_FUNC PyInit_pyruntime_ext(void) {
    return PyModule_Create(&module);
}
