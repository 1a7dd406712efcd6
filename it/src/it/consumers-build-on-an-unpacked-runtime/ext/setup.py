# A consumer's sdist with C code, built with setuptools against the runtime that runs this script.
from setuptools import Extension, setup

setup(name="hello", version="1.0", ext_modules=[Extension("hello", ["hello.c"])])
