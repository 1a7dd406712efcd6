/* A consumer's extension module: hello.greet("x") == "hello, x". */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *greet(PyObject *self, PyObject *name) {
    return PyUnicode_FromFormat("hello, %U", name);
}

static PyMethodDef hello_methods[] = {{"greet", greet, METH_O, "greet(name)"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef hello_module = {PyModuleDef_HEAD_INIT, "hello", "A consumer's C extension.", -1, hello_methods};

PyMODINIT_FUNC PyInit_hello(void) {
    return PyModule_Create(&hello_module);
}
