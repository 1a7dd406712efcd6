"""The CPU workload bench/interpreter-speed runs on each interpreter: `python interpreter-workload.py NAME LOOPS`
runs one benchmark LOOPS times and prints the seconds it took (startup excluded; `startup` is timed by the driver).
Only the standard library; the same code and data on both interpreters."""
import json
import re
import sys
import time


def objects(n):
    # Object-heavy code: instances, attribute access, method calls, small allocations.
    class Vec:
        __slots__ = ("x", "y")

        def __init__(self, x, y):
            self.x, self.y = x, y

        def add(self, o):
            return Vec(self.x + o.x, self.y + o.y)

        def dot(self, o):
            return self.x * o.x + self.y * o.y

    class Particle:
        def __init__(self, i):
            self.pos = Vec(i, -i)
            self.vel = Vec(1, 2)

        def step(self):
            self.pos = self.pos.add(self.vel)
            return self.pos.dot(self.vel)

    total = 0
    for _ in range(n):
        ps = [Particle(i) for i in range(200)]
        for _ in range(20):
            for p in ps:
                total += p.step()
    return total


def floats(n):
    # n-body style float arithmetic on tuples and lists.
    bodies = [[1.0, 0.0, 0.0, 0.0, 0.5, 0.0, 10.0], [0.0, 1.0, 0.0, -0.5, 0.0, 0.0, 1.0],
              [-1.0, 0.0, 0.5, 0.0, -0.5, 0.1, 1.0], [0.0, -1.0, -0.5, 0.5, 0.0, -0.1, 1.0]]
    pairs = [(bodies[i], bodies[j]) for i in range(4) for j in range(i + 1, 4)]
    dt = 0.001
    for _ in range(n * 2000):
        for (b1, b2) in pairs:
            dx, dy, dz = b1[0] - b2[0], b1[1] - b2[1], b1[2] - b2[2]
            mag = dt * ((dx * dx + dy * dy + dz * dz + 0.01) ** -1.5)
            m1, m2 = b1[6] * mag, b2[6] * mag
            b1[3] -= dx * m2; b1[4] -= dy * m2; b1[5] -= dz * m2
            b2[3] += dx * m1; b2[4] += dy * m1; b2[5] += dz * m1
        for b in bodies:
            b[0] += dt * b[3]; b[1] += dt * b[4]; b[2] += dt * b[5]
    return bodies[0][0]


def strings(n):
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"] * 50
    out = 0
    for _ in range(n * 40):
        s = " ".join(words)
        parts = s.upper().split(" ")
        t = "-".join(p[::-1] for p in parts)
        out += len(t.replace("A", "aa")) + t.count("E") + len(f"{out}:{len(parts)}:{t[:10]}")
    return out


def dicts(n):
    total = 0
    for _ in range(n):
        d = {}
        for i in range(20000):
            d["k%d" % (i % 5000)] = d.get("k%d" % (i % 5000), 0) + i
        for k, v in d.items():
            total += v if k in d else 0
        total += len({v: k for k, v in d.items()})
    return total


TEXT = "\n".join("2026-11-%02d 12:%02d:%02d host%d GET /api/v%d/items/%d?q=%s 200 %dms"
                 % (i % 28 + 1, i % 60, (i * 7) % 60, i % 9, i % 3, i, "x" * (i % 7), i % 500)
                 for i in range(3000))
LINE = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\S+) (\S+) (GET|POST) (/api/v\d+/\w+/(\d+))\?q=(x*) (\d{3}) (\d+)ms$", re.M)


def regex(n):
    total = 0
    for _ in range(n * 3):
        for m in LINE.finditer(TEXT):
            total += int(m.group(6)) + len(m.group(7))
        total += len(re.sub(r"host(\d)", r"h\1", TEXT))
    return total


# The regex-heavy benchmark: findall of a three-group pattern of \w+ and \d+ over 200 short ASCII records, where the
# time goes into the matcher (sre_ucs1_match) and the unicode type checks it calls for \w and \d.
RECORDS = "\n".join("user%d id=%d tag%s" % (i, i * 37, "x" * (i % 5)) for i in range(200))
FIELDS = re.compile(r"(\w+) id=(\d+) (\w+)")


def findall(n):
    total = 0
    for _ in range(n * 60):
        for name, ident, tag in FIELDS.findall(RECORDS):
            total += len(name) + len(tag)
    return total


DOC = {"runtimes": [{"id": "3.11.%d-debian-12-amd64" % i, "sha256": "%064x" % (i * 7919), "size": i * 1024,
                     "flags": ["-O2", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2"], "ok": i % 2 == 0,
                     "ratio": i / 7.0} for i in range(300)]}


def json_(n):
    total = 0
    for _ in range(n * 10):
        text = json.dumps(DOC, sort_keys=True)
        total += len(json.loads(text)["runtimes"])
    return total


# The json-heavy benchmark: parsing and writing numbers (float repr and parsing, int conversion) and strings that need
# escaping (non-ASCII, quotes, control characters), the C code of _json, floatobject.c and dtoa.c.
NUMBERS = json.dumps([{"t": 1700000000.0 + i / 8, "v": [i * 0.1, -i / 3.0, 1e-7 * i, i ** 3], "n": "naïve \"%d\"\t€" % i}
                      for i in range(400)])


def json_numbers(n):
    total = 0
    for _ in range(n * 6):
        doc = json.loads(NUMBERS)
        total += len(json.dumps(doc))
    return total


def generators(n):
    def numbers(limit):
        for i in range(limit):
            yield i

    def evens(xs):
        return (x for x in xs if x % 2 == 0)

    def squares(xs):
        for x in xs:
            yield x * x

    total = 0
    for _ in range(n * 5):
        total += sum(squares(evens(numbers(20000))))
        total += sum(1 for _ in zip(numbers(5000), numbers(5000)))
    return total


def calls(n):
    # Function calls and recursion, the interpreter's call path.
    def fib(k):
        return k if k < 2 else fib(k - 1) + fib(k - 2)

    return sum(fib(20) for _ in range(n))


def sorting(n):
    import random
    rng = random.Random(42)
    total = 0
    for _ in range(n * 4):
        xs = [rng.random() for _ in range(20000)]
        total += sorted(xs)[100] > 0
        pairs = sorted(((int(x * 1000) % 97, str(x)) for x in xs[:5000]), key=lambda p: (p[0], p[1]))
        total += len(pairs)
    return total


BENCHMARKS = {"objects": objects, "floats": floats, "strings": strings, "dicts": dicts, "regex": regex, "findall": findall,
              "json": json_, "json_numbers": json_numbers, "generators": generators, "calls": calls, "sorting": sorting}

if __name__ == "__main__":
    fn, loops = BENCHMARKS[sys.argv[1]], int(sys.argv[2])
    t0 = time.perf_counter()
    fn(loops)
    print(time.perf_counter() - t0)
