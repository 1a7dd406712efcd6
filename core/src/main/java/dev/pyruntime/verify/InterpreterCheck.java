package dev.pyruntime.verify;

import dev.pyruntime.Chars;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Before anything from the tree is run: {@code bin/python3} must be an ELF executable for the target's arch, inside
 * the tree. A script, an empty or truncated file, a binary of another arch or a missing interpreter is reported here,
 * and the checks that would run it are skipped, never tried.
 */
final class InterpreterCheck {
    static final String ID = "interpreter";
    static final String WHAT = "bin/python3 is an ELF executable for the target's arch, inside the tree";

    /** ELF e_machine per Debian arch. */
    static final Map<String, Integer> MACHINE = dev.pyruntime.env.Emulation.MACHINE;

    private InterpreterCheck() {
    }

    static Check run(Path root, String arch) throws IOException {
        Path python3 = root.resolve("bin/python3");
        if (!Files.exists(python3)) {
            return Check.fail(ID, WHAT, Files.isSymbolicLink(python3) ? "bin/python3 is a link to "
                    + Chars.shown(Files.readSymbolicLink(python3).toString()) + ", which is not in the tree"
                    : "bin/python3 is missing");
        }
        Path real = python3.toRealPath();
        if (!real.startsWith(root.toRealPath())) {
            return Check.fail(ID, WHAT, "bin/python3 resolves to " + Chars.shown(real.toString()) + ", outside the tree");
        }
        String name = root.toRealPath().relativize(real).toString();
        if (!Files.isRegularFile(real)) {
            return Check.fail(ID, WHAT, name + " is not a regular file");
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(real)) {
            head = in.readNBytes(20);
        }
        if (head.length < 4 || head[0] != 0x7f || head[1] != 'E' || head[2] != 'L' || head[3] != 'F') {
            return Check.fail(ID, WHAT, name + " is not an ELF file (" + describe(head) + ")");
        }
        if (head.length < 20) {
            return Check.fail(ID, WHAT, name + " is a truncated ELF file (" + Files.size(real) + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(head).order(head[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        int machine = Short.toUnsignedInt(b.getShort(18));
        if (type != 2 && type != 3) {
            return Check.fail(ID, WHAT, name + " is an ELF file of type " + type + ", not an executable");
        }
        Integer want = MACHINE.get(arch);
        if (want != null && machine != want) {
            return Check.fail(ID, WHAT, name + " is built for ELF machine " + machine + ", but the target's arch " + arch
                    + " is machine " + want);
        }
        if (!Files.isExecutable(real)) {
            return Check.fail(ID, WHAT, name + " is not executable (mode " + java.nio.file.attribute.PosixFilePermissions
                    .toString(Files.getPosixFilePermissions(real)) + ")");
        }
        return Check.pass(ID, WHAT, "bin/python3 -> " + name + ": ELF " + (type == 2 ? "executable" : "PIE")
                + ", machine " + machine + " (" + arch + ")");
    }

    private static String describe(byte[] head) {
        if (head.length == 0) {
            return "it is empty";
        }
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            return "it is a script";
        }
        return "it starts with " + Chars.shown(new String(head, 0, Math.min(head.length, 8),
                java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
