/* The declarations embed.c needs, for RuntimeChecksTest's stand-in libpython. */
typedef struct _object PyObject;
void Py_Initialize(void);
int Py_FinalizeEx(void);
const char *Py_GetVersion(void);
PyObject *PyImport_ImportModule(const char *name);
void PyErr_Print(void);
void Py_XDECREF(PyObject *o);
PyObject *PySys_GetObject(const char *name);
int PyUnicode_Check(PyObject *o);
const char *PyUnicode_AsUTF8(PyObject *o);
