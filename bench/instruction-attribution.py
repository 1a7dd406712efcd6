"""The two halves of bench/instruction-attribution (see there).

`sites BINARY OUT`: on the host, objdump BINARY and write the addresses of its instructions, of its stack-protector
canary instructions (%fs:0x28) and of its calls through the GOT (call *x(%rip)) to OUT (JSON).
`count BENCHMARKS LABEL=PYTHON=SITES...`: in the distro's container, run each benchmark under callgrind on each
interpreter (one loop minus none, as bench/interpreter-speed counts), and print the benchmark's own instructions and
the shares of the canary and GOT-call instructions among them."""
import json
import os
import re
import subprocess
import sys
import tempfile

WORKLOAD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "interpreter-workload.py")
ENV = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
ENV["PYTHONHASHSEED"] = "0"
INSTRUCTION = re.compile(r"^\s+([0-9a-f]+):\t(.*)$")
CANARY = re.compile(r"%fs:0x28\b")
GOT_CALL = re.compile(r"(?:callq?|jmpq?)\s+\*-?0x[0-9a-f]+\(%rip\)")
SECTION = re.compile(r"^Disassembly of section (\S+):")


def sites(binary, out):
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], capture_output=True, text=True,
                         check=True).stdout
    starts, canary, got, section = [], [], [], ""
    for line in dis.splitlines():
        m = SECTION.match(line)
        if m:
            section = m.group(1)
            continue
        m = INSTRUCTION.match(line)
        if not m:
            continue
        address, text = int(m.group(1), 16), m.group(2)
        starts.append(address)
        if CANARY.search(text):
            canary.append(address)
        if GOT_CALL.search(text) and not section.startswith(".plt"):  # the PLT's own jumps are not -fno-plt's
            got.append(address)
    with open(out, "w") as f:
        json.dump({"starts": starts, "canary": canary, "got": got}, f)


def callgrind(python, name, loops, tmp):
    """Self cost per instruction address of the interpreter's own ELF file, and the run's total."""
    out = os.path.join(tmp, f"callgrind.{loops}")
    subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=yes", "--dump-line=no",
                    "--callgrind-out-file=" + out, python, "-s", WORKLOAD, name, str(loops)],
                   check=True, capture_output=True, env=ENV)
    real = os.path.realpath(python)
    names, current, after_calls, last, total, per = {}, None, False, 0, 0, {}
    with open(out) as f:
        for line in f:
            line = line.rstrip("\n")
            # Object names are compressed: "ob=(3) /path" the first time, "ob=(3)" after; cob= defines them too.
            m = re.match(r"(c?ob)=\((\d+)\)(?: (.*))?$", line)
            if m:
                if m.group(3):
                    names[m.group(2)] = m.group(3)
                if m.group(1) == "ob":
                    current = names[m.group(2)]
                continue
            if line.startswith("calls="):
                after_calls = True  # the next cost line is the call's inclusive cost, not this function's own
                continue
            if not line or line[0] not in "0123456789+-*":
                continue
            parts = line.split()
            p = parts[0]
            if p == "*":
                address = last
            elif p[0] in "+-":
                step = int(p[1:], 16) if p[1:].startswith("0x") else int(p[1:])
                address = last + step if p[0] == "+" else last - step
            else:
                address = int(p, 16) if p.startswith("0x") else int(p)
            if after_calls:  # the writer's position does not move with the call's cost line either
                after_calls = False
                continue
            last = address
            cost = int(parts[1]) if len(parts) > 1 else 0
            total += cost
            if current and os.path.realpath(current) == real:
                per[address] = per.get(address, 0) + cost
    return total, per


def check_addresses(per, starts):
    """callgrind gives an object's addresses less its load offset, as objdump does: every counted address must be the
    start of one of objdump's instructions, or the sites cannot be matched."""
    stray = [a for a in per if a not in starts]
    if not per or stray:
        sys.exit(f"instruction-attribution: {len(stray)} counted addresses are no instruction of the interpreter's "
                 "objdump (a different binary?)")


def count(benchmarks, sides):
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, python, site_file in sides:
            with open(site_file) as f:
                s = json.load(f)
            starts, canary, got = set(s["starts"]), set(s["canary"]), set(s["got"])
            for name in benchmarks:
                t0, p0 = callgrind(python, name, 0, tmp)
                t1, p1 = callgrind(python, name, 1, tmp)
                check_addresses(p1, starts)

                def part(per, which):
                    return sum(v for a, v in per.items() if a in which)
                total = t1 - t0
                rows[(label, name)] = (total, 3 * (part(p1, canary) - part(p0, canary)),
                                       part(p1, got) - part(p0, got))
                print(f"  {label}: {name} counted", file=sys.stderr, flush=True)
    distro = sides[-1][0]
    print("instructions of each benchmark's own work (callgrind, one loop minus none); canary: the stack protector's"
          " instructions; GOT: calls through the GOT (-fno-plt); ratio: the distro's total over this one's")
    header = "| benchmark | " + " | ".join(f"{label}: instructions, canary, GOT, ratio" for label, _, _ in sides) + " |"
    print(header)
    print("|" + "---|" * (1 + len(sides)))
    for name in benchmarks:
        cells = []
        for label, _, _ in sides:
            total, canary, got = rows[(label, name)]
            cells.append(f"{total:,} {canary / total:.2%} {got / total:.2%} {rows[(distro, name)][0] / total:.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


def main():
    if sys.argv[1:2] == ["sites"] and len(sys.argv) == 4:
        sites(sys.argv[2], sys.argv[3])
    elif sys.argv[1:2] == ["count"] and len(sys.argv) >= 4:
        count(sys.argv[2].split(","), [tuple(s.rsplit("=", 2)) for s in sys.argv[3:]])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
