# Run by `verify` with a free-threaded runtime's interpreter (-I -B): do its threads run Python code at the same time?
#
# The proof does not time anything. The switch interval is set to 60 s before the worker starts, so that with a GIL
# every wait for it lasts a minute before the holder is asked to let go. A worker thread waits on an event (not holding
# the GIL, if there is one). The main thread sets the event, and spins in Python code until the worker has run a line of Python (set `seen`),
# for at most LIMIT seconds. With a GIL the woken worker cannot run that line before the main thread lets go of the
# GIL, which its spin never does within LIMIT: "not parallel". Without one the worker runs as soon as the OS schedules
# it, within milliseconds even on a loaded machine with one CPU.
#
# Then, for the report only (never a verdict: timings move with what else the machine does), it measures the speed-up
# of two threads over one on a pure-Python loop.
import json
import sys
import threading
import time

LIMIT = float(sys.argv[1]) if len(sys.argv) > 1 else 20.0  # seconds; the tests give a GIL build less
state = {"seen": False}
begin = threading.Event()


def worker():
    begin.wait()
    state["seen"] = True


sys.setswitchinterval(60.0)
t = threading.Thread(target=worker)
t.start()
begin.set()
start = time.monotonic()
while not state["seen"] and time.monotonic() - start < LIMIT:
    pass
parallel = state["seen"]
waited = time.monotonic() - start
sys.setswitchinterval(0.005)
t.join()


def spin(n):
    x = 0
    for i in range(n):
        x += i
    return x


N = 2_000_000
start = time.perf_counter()
spin(N)
spin(N)
one = time.perf_counter() - start
threads = [threading.Thread(target=spin, args=(N,)) for _ in range(2)]
start = time.perf_counter()
for th in threads:
    th.start()
for th in threads:
    th.join()
two = time.perf_counter() - start
print(json.dumps({"parallel": parallel, "waited_ms": round(waited * 1000, 1), "speedup": round(one / two, 2),
                  "gil_enabled": sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else None}))
