package dev.pyruntime.env;

import dev.pyruntime.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs programs built for another arch on this machine with QEMU's user-mode emulation: the way a cross build's
 * staged interpreter and verify's checks of a cross-built runtime run. Through the kernel's {@code binfmt_misc}
 * registration for the arch when there is a usable one (programs then run as they are); otherwise with
 * {@code qemu-<cpu>-static} named explicitly before each program of the target arch. The target arch's dynamic
 * loader and libraries are the multiarch ones of the environment ({@code /usr/lib/aarch64-linux-gnu}), which the
 * emulated loader finds by itself.
 *
 * <p>{@link #wrap} gives an environment in which this happens, on top of any other (a {@link Sandbox}'s confined one:
 * emulation changes nothing in the confinement). Two things do not run by name there and are done the target's way:
 * {@code ldd}, which only knows this machine's loaders, becomes the target's loader with
 * {@code LD_TRACE_LOADED_OBJECTS=1}, one file at a time, its output laid out as ldd's; and, when given a tool directory, the C compiler a runtime's sysconfig names
 * ({@code gcc}, {@code cc}) is the target's cross compiler, first on PATH.
 */
public final class Emulation {
    /** ELF e_machine per Debian arch. */
    public static final Map<String, Integer> MACHINE = Map.of("amd64", 62, "arm64", 183, "i386", 3, "armhf", 40,
            "armel", 40, "ppc64el", 21, "s390x", 22, "riscv64", 243, "mips64el", 8, "loong64", 258);

    /** QEMU's name for each Debian arch's CPU ({@code qemu-aarch64-static}). */
    static final Map<String, String> QEMU_CPU = Map.of("amd64", "x86_64", "arm64", "aarch64", "i386", "i386",
            "armhf", "arm", "armel", "arm", "ppc64el", "ppc64le", "s390x", "s390x", "riscv64", "riscv64",
            "mips64el", "mips64el", "loong64", "loongarch64");

    /** The dynamic loader of each arch's glibc, as its programs' PT_INTERP names it. */
    static final Map<String, String> LOADER = Map.of("amd64", "/lib64/ld-linux-x86-64.so.2", "arm64",
            "/lib/ld-linux-aarch64.so.1", "i386", "/lib/ld-linux.so.2", "armhf", "/lib/ld-linux-armhf.so.3",
            "ppc64el", "/lib64/ld64.so.2", "s390x", "/lib/ld64.so.1", "riscv64", "/lib/ld-linux-riscv64-lp64d.so.1");

    /** Each Debian arch's GNU triplet, as its cross tools are named ({@code aarch64-linux-gnu-gcc}). */
    public static final Map<String, String> TRIPLET = Map.of("amd64", "x86_64-linux-gnu", "arm64", "aarch64-linux-gnu",
            "i386", "i686-linux-gnu", "armhf", "arm-linux-gnueabihf", "armel", "arm-linux-gnueabi", "ppc64el",
            "powerpc64le-linux-gnu", "s390x", "s390x-linux-gnu", "riscv64", "riscv64-linux-gnu", "mips64el",
            "mips64el-linux-gnuabi64");

    /** The kernel's binfmt_misc registrations. */
    public static final Path BINFMT_MISC = Path.of("/proc/sys/fs/binfmt_misc");

    /** Tools a consumer's C build runs by their plain names, made the target's cross tools in {@link #tools}. */
    static final List<String> TOOLS = List.of("gcc", "cc", "g++", "c++", "cpp", "ar", "ranlib", "ld", "as", "nm",
            "strip", "objcopy", "readelf");

    private final String arch;
    private final String qemu;
    private final String describe;

    private Emulation(String arch, String qemu, String describe) {
        this.arch = arch;
        this.qemu = qemu;
        this.describe = describe;
    }

    /** Whether python-runtime knows how to cross-build and emulate {@code arch}: its loader and its triplet. */
    public static boolean knows(String arch) {
        return LOADER.containsKey(arch) && TRIPLET.containsKey(arch) && QEMU_CPU.containsKey(arch);
    }

    /** The arches {@link #knows} knows, sorted. */
    public static List<String> known() {
        return LOADER.keySet().stream().filter(Emulation::knows).sorted().toList();
    }

    /** Whether programs of {@code arch} need emulation on this machine. */
    public static boolean needed(String arch) {
        return !arch.equals(HostInfo.detect().arch());
    }

    /**
     * How {@code env} runs programs of {@code arch}: binfmt_misc when {@code binfmtDir} has an enabled registration
     * for the arch's ELF machine that works there (its interpreter opened at registration, flag F, or, on this
     * machine, an interpreter that exists), else {@code qemu-<cpu>-static} if {@code env} has it.
     *
     * @throws Unavailable saying what to install
     */
    public static Emulation find(BuildEnvironment env, String arch, Path binfmtDir) throws Unavailable {
        String cpu = QEMU_CPU.get(arch);
        Integer machine = MACHINE.get(arch);
        if (cpu == null || machine == null || !LOADER.containsKey(arch)) {
            throw new Unavailable("no emulation for arch " + arch + " is known to python-runtime");
        }
        Binfmt registered = Binfmt.find(binfmtDir, machine);
        if (registered != null && (registered.fixed() || env instanceof HostEnvironment
                && Files.isExecutable(Path.of(registered.interpreter())))) {
            return new Emulation(arch, null, "binfmt_misc " + registered.name() + " (" + registered.interpreter()
                    + (registered.fixed() ? ", flag F" : "") + ")");
        }
        String program = "qemu-" + cpu + "-static";
        ExecResult version;
        try {
            version = env.run(List.of(program, "--version"), Map.of(), Path.of("/"));
        } catch (UserError e) {
            version = null;
        }
        if (version == null || !version.ok()) {
            throw new Unavailable("nothing here runs " + arch + " programs: " + env.describe() + " has no " + program
                    + " (apt-get install qemu-user-static)" + (registered == null ? ", and binfmt_misc has no enabled "
                    + cpu + " registration" : ", and binfmt_misc's " + registered.name() + " names "
                    + registered.interpreter() + " without flag F, which " + env.describe() + " cannot open"));
        }
        String first = version.stdout().strip().lines().findFirst().orElse(program);
        return new Emulation(arch, program, first.replaceFirst("^qemu-\\S+ version", program)
                + ", named before each " + arch + " program (" + (registered == null ? "no binfmt_misc registration"
                : "binfmt_misc's " + registered.name() + " is not usable here") + ")");
    }

    /** How programs of the arch run, for reports. */
    public String describe() {
        return describe;
    }

    /** Whether each program is run through {@code qemu-<cpu>-static} named explicitly (no binfmt_misc). */
    public boolean explicit() {
        return qemu != null;
    }

    /**
     * A directory of the target's cross tools by their plain names ({@code gcc -> /usr/bin/aarch64-linux-gnu-gcc}),
     * made in {@code dir}: first on PATH, the compiler a runtime's sysconfig names builds for the runtime's arch.
     * The links are made whether or not the environment has the tools (a container's are not this machine's): a
     * missing one fails the check that runs it, naming it.
     *
     * @param triplet the target's GNU triplet
     */
    public static void tools(Path dir, String triplet) throws IOException {
        if (Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (var old = Files.walk(dir)) {
                for (Path p : old.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        for (String tool : TOOLS) {
            Files.createSymbolicLink(dir.resolve(tool), Path.of("/usr/bin", triplet + "-" + (tool.equals("cc") ? "gcc"
                    : tool.equals("c++") ? "g++" : tool)));
        }
    }

    /** This emulation's target arch. */
    public String arch() {
        return arch;
    }

    /** {@code inner} running programs of the arch through this emulation. */
    public BuildEnvironment wrap(BuildEnvironment inner) {
        return wrap(inner, null);
    }

    /**
     * {@code inner} running programs of the arch through this emulation, with {@code tools} (see {@link #tools}), when
     * not null, first on the PATH of every program.
     */
    public BuildEnvironment wrap(BuildEnvironment inner, Path tools) {
        return new Emulated(inner, tools);
    }

    private final class Emulated implements BuildEnvironment {
        private final BuildEnvironment inner;
        private final Path tools;

        Emulated(BuildEnvironment inner, Path tools) {
            this.inner = inner;
            this.tools = tools;
        }

        @Override
        public String describe() {
            return inner.describe() + ", " + arch + " emulated";
        }

        @Override
        public String executor() {
            return inner.executor();
        }

        @Override
        public boolean seesHostTools() {
            return inner.seesHostTools();
        }

        @Override
        public ExecResult run(List<String> command, Map<String, String> env, Path workDir) throws UserError {
            if (!command.isEmpty() && command.get(0).equals("ldd")) {
                return ldd(command.subList(1, command.size()), env, workDir);
            }
            return inner.run(emulated(command, false), vars(env), workDir);
        }

        @Override
        public int stream(List<String> command, Map<String, String> env, Path workDir, Path log,
                          Consumer<String> lines) throws UserError, IOException {
            return inner.stream(emulated(command, false), vars(env), workDir, log, lines);
        }

        private Map<String, String> vars(Map<String, String> env) {
            if (tools == null || env.containsKey("PATH")) {
                return env;
            }
            Map<String, String> out = new java.util.TreeMap<>(env);
            out.put("PATH", tools + ":/usr/local/bin:/usr/bin:/bin");
            return out;
        }

        /**
         * ldd's output, from the target's loader: {@code LD_TRACE_LOADED_OBJECTS=1 <loader> <file>} for each file (the
         * loader takes one; it is what ldd runs, and unlike {@code --list}, which stops at the first library it cannot
         * find, it names each as {@code not found}), each headed by {@code <file>:} when there are several, as ldd
         * does; exit 1 when any failed.
         */
        private ExecResult ldd(List<String> args, Map<String, String> env, Path workDir) throws UserError {
            List<String> files = args.stream().filter(a -> !a.equals("--")).toList();
            StringBuilder out = new StringBuilder();
            StringBuilder err = new StringBuilder();
            int exit = 0;
            for (String file : files) {
                // The loader reads an argument starting with '-' as its own option: a file is always a path to it.
                String path = file.startsWith("-") ? "./" + file : file;
                ExecResult r = inner.run(traced(path), vars(env), workDir);
                if (files.size() > 1) {
                    out.append(file).append(":\n");
                }
                out.append(r.stdout());
                if (!r.ok()) {
                    exit = 1;
                    err.append(file).append(": ").append(r.stderr().isBlank() ? "exit " + r.exitCode() : r.stderr().strip())
                            .append('\n');
                }
            }
            return new ExecResult(exit, out.toString(), err.toString());
        }

        /**
         * The target's loader listing {@code file}'s libraries: {@code env LD_TRACE_LOADED_OBJECTS=1 [qemu] <loader>
         * <file>}. The variable is set by {@code env}, right before the loader: given to the environment, it would
         * reach the first dynamically linked program of the sandbox's chain (setpriv, prlimit), whose loader would
         * list that program's libraries instead, and pass.
         */
        private List<String> traced(String file) {
            List<String> cmd = new ArrayList<>(List.of("env", "LD_TRACE_LOADED_OBJECTS=1"));
            cmd.addAll(emulated(List.of(LOADER.get(arch), file), true));
            return cmd;
        }

        /** The command with qemu before it when it runs a program of the arch and there is no binfmt_misc. */
        private List<String> emulated(List<String> command, boolean targetProgram) {
            if (qemu == null || command.isEmpty() || !(targetProgram || isArch(Path.of(command.get(0))))) {
                return command;
            }
            List<String> out = new ArrayList<>();
            out.add(qemu);
            out.addAll(command);
            return out;
        }
    }

    /** Whether {@code file} is an ELF file of this emulation's arch (a path that is not one runs as it is). */
    boolean isArch(Path file) {
        return machineOf(file) == MACHINE.get(arch);
    }

    /** The ELF machine of {@code file}, or -1 when it is not an absolute path to a readable ELF file. */
    public static int machineOf(Path file) {
        if (!file.isAbsolute() || !Files.isRegularFile(file)) {
            return -1;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(20);
            if (head.length < 20 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
                return -1;
            }
            return Short.toUnsignedInt(ByteBuffer.wrap(head).order(head[5] == 2 ? ByteOrder.BIG_ENDIAN
                    : ByteOrder.LITTLE_ENDIAN).getShort(18));
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * One binfmt_misc registration.
     *
     * @param name        its file name ({@code qemu-aarch64})
     * @param interpreter the program it runs matching files with
     * @param fixed       flag F: the kernel opened the interpreter when it was registered, so it works in any mount
     *                    namespace (a sandbox, a container)
     */
    record Binfmt(String name, String interpreter, boolean fixed) {

        /** The enabled registration for ELF files of {@code machine} (64-bit little-endian), or null. */
        static Binfmt find(Path dir, int machine) {
            if (!Files.isDirectory(dir)) {
                return null;
            }
            try {
                if (Files.isRegularFile(dir.resolve("status")) && !Files.readString(dir.resolve("status")).strip()
                        .equals("enabled")) {
                    return null;
                }
                try (var entries = Files.list(dir)) {
                    for (Path p : entries.sorted().toList()) {
                        String name = p.getFileName().toString();
                        if (name.equals("status") || name.equals("register") || !Files.isRegularFile(p)) {
                            continue;
                        }
                        Binfmt b = parse(name, Files.readString(p), machine);
                        if (b != null) {
                            return b;
                        }
                    }
                }
            } catch (IOException e) {
                return null;
            }
            return null;
        }

        /**
         * The registration in {@code text} (as the kernel prints it: {@code enabled}, {@code interpreter ...},
         * {@code flags: F}, {@code offset 0}, {@code magic 7f454c46...}) when it is enabled and its magic matches an
         * ELF header of {@code machine}, else null.
         */
        static Binfmt parse(String name, String text, int machine) {
            boolean enabled = false;
            String interpreter = null;
            String flags = "";
            String magic = null;
            String mask = null;
            int offset = 0;
            for (String line : text.split("\n")) {
                String l = line.strip();
                if (l.equals("enabled")) {
                    enabled = true;
                } else if (l.startsWith("interpreter ")) {
                    interpreter = l.substring("interpreter ".length()).strip();
                } else if (l.startsWith("flags:")) {
                    flags = l.substring("flags:".length()).strip();
                } else if (l.startsWith("magic ")) {
                    magic = l.substring("magic ".length()).strip();
                } else if (l.startsWith("mask ")) {
                    mask = l.substring("mask ".length()).strip();
                } else if (l.startsWith("offset ")) {
                    try {
                        offset = Integer.parseInt(l.substring("offset ".length()).strip());
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
            if (!enabled || interpreter == null || magic == null || offset != 0 || magic.length() < 40
                    || magic.length() % 2 != 0) {
                return null;
            }
            // An ELF header of a 64-bit little-endian executable or shared object of the machine, through the mask.
            byte[] header = new byte[magic.length() / 2];
            byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, (byte) machine,
                    (byte) (machine >> 8)};
            System.arraycopy(elf, 0, header, 0, Math.min(elf.length, header.length));
            for (int i = 0; i < header.length; i++) {
                int m = mask == null || mask.length() < 2 * (i + 1) ? 0xff
                        : Integer.parseInt(mask.substring(2 * i, 2 * i + 2), 16);
                int want = Integer.parseInt(magic.substring(2 * i, 2 * i + 2), 16);
                if ((header[i] & m) != (want & m)) {
                    return null;
                }
            }
            return new Binfmt(name, interpreter, flags.contains("F"));
        }
    }
}
