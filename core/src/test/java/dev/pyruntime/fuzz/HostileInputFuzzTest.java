package dev.pyruntime.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyruntime.Chars;
import dev.pyruntime.UserError;
import dev.pyruntime.compile.SafeUnpacker;
import dev.pyruntime.manifest.ManifestException;
import dev.pyruntime.manifest.ManifestLoader;
import dev.pyruntime.manifest.Problem;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the two parsers hostile input reaches first, with a fixed seed and a bounded run: the manifest loader (the
 * real catalog, mutated: spans cut, doubled and moved, hostile bytes and values put in) and the unpacker (a small
 * valid tar, its bytes flipped, cut and stretched). Every input must end, within 10 s, in a result or a clear
 * refusal: a {@link ManifestException} whose every error has a line and column (or says why it has none) and is one
 * line (no raw control character, whatever a key or value held), or a
 * {@link UserError}/{@link IOException} from the unpacker that wrote nothing outside its destination. Anything else
 * fails the test with the seed and the input, kept under {@code target/fuzz-failures/}.
 * <p>
 * The test run does {@value #DEFAULT_MANIFESTS} manifests and {@value #DEFAULT_ARCHIVES} archives;
 * {@code bench/fuzz} runs more ({@code -Dfuzz.manifests}, {@code -Dfuzz.archives}, {@code -Dfuzz.seed}).
 */
class HostileInputFuzzTest {
    static final int DEFAULT_MANIFESTS = 2000;
    static final int DEFAULT_ARCHIVES = 800;
    private static final long SEED = Long.getLong("fuzz.seed", 20L);
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz");
        t.setDaemon(true);
        return t;
    });
    private static final String[] HOSTILE = {"../../../tmp/x", "/etc/passwd", "--privileged", "-v /:/host", "\u0000",
        "\u0007", "\t", "\r\n", "{target}/../x", "{nope}", "*a", "&a [*a, *a, *a]", "!!java.lang.Runtime", "~", "'",
        "\"", "{", "}", "[", "]", ":", "- ", "#", "%", "@", "`", "|", ">", "\u202e", "\uFEFF", "x".repeat(5000),
        "3.11.2", "debian-12", "amd64", "executor: container", "image: \"--x\"", "prefix: \"/a\\nb\"", "yes", "null",
        "0x1F", "1e400", "-1", "9999999999999999999999"};

    @AfterAll
    static void stop() {
        RUNNER.shutdownNow();
    }

    @Test
    void manifestsEndInAManifestOrALocatedRefusal(@TempDir Path tmp) throws Exception {
        int count = Integer.getInteger("fuzz.manifests", DEFAULT_MANIFESTS);
        String base = Files.readString(Path.of("../manifests/python.yaml"));
        Random random = new Random(SEED);
        Path file = tmp.resolve("python.yaml");
        int accepted = 0;
        for (int i = 0; i < count; i++) {
            String text = mutate(base, random, 1 + random.nextInt(4));
            Future<Object> run = RUNNER.submit(() -> {
                try {
                    return ManifestLoader.parse(file, text);
                } catch (ManifestException e) {
                    return e;
                }
            });
            Object result = outcome(run, "manifest", i, text.getBytes(StandardCharsets.UTF_8));
            if (result instanceof ManifestException e) {
                for (Problem p : e.problems()) {
                    if (p.isError() && p.line() <= 0 && !p.message().contains("gives no line")) {
                        failWith("manifest", i, text.getBytes(StandardCharsets.UTF_8),
                                "an error without a line, saying no why: " + p);
                    }
                    if (Chars.firstControl(p.toString()) >= 0) {
                        failWith("manifest", i, text.getBytes(StandardCharsets.UTF_8),
                                "a problem that is not one line of the log (a raw control character): " + p);
                    }
                }
            } else {
                accepted++;
            }
        }
        System.out.println("fuzz: " + count + " manifests (seed " + SEED + "), " + accepted + " accepted, "
                + (count - accepted) + " refused with a location");
    }

    @Test
    void archivesEndUnpackedOrRefusedAndNeverWriteOutside(@TempDir Path tmp) throws Exception {
        int count = Integer.getInteger("fuzz.archives", DEFAULT_ARCHIVES);
        byte[] base = sampleTar();
        Random random = new Random(SEED + 1);
        int unpacked = 0;
        for (int i = 0; i < count; i++) {
            byte[] bytes = mutate(base, random);
            Path dest = tmp.resolve("case-" + i).resolve("dest");
            Future<Object> run = RUNNER.submit(() -> {
                try {
                    SafeUnpacker.unpack(new ByteArrayInputStream(bytes), dest, 0, "fuzz.tar");
                    return "unpacked";
                } catch (UserError | IOException e) {
                    return e;
                }
            });
            if ("unpacked".equals(outcome(run, "archive", i, bytes))) {
                unpacked++;
            }
            // Nothing beside dest: the case directory holds dest alone, and the temp directory only case dirs.
            try (Stream<Path> beside = Files.list(dest.getParent())) {
                List<String> names = beside.map(p -> p.getFileName().toString()).toList();
                if (!names.equals(List.of("dest")) && !names.isEmpty()) {
                    failWith("archive", i, bytes, "wrote beside its destination: " + names);
                }
            }
            Cleanup.delete(dest.getParent());
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(), left.toList(), "nothing outside the case directories");
        }
        System.out.println("fuzz: " + count + " archives (seed " + (SEED + 1) + "), " + unpacked + " unpacked, "
                + (count - unpacked) + " refused");
    }

    private static Object outcome(Future<Object> run, String what, int i, byte[] input) throws Exception {
        try {
            return run.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            run.cancel(true);
            failWith(what, i, input, "no end within 10 s");
        } catch (java.util.concurrent.ExecutionException e) {
            failWith(what, i, input, "ended in " + e.getCause());
        }
        return null;
    }

    private static void failWith(String what, int i, byte[] input, String why) throws IOException {
        Path keep = Path.of("target/fuzz-failures/" + what + "-" + SEED + "-" + i);
        Files.createDirectories(keep.getParent());
        Files.write(keep, input);
        fail(what + " " + i + " (seed " + SEED + "): " + why + "; the input is " + keep.toAbsolutePath());
    }

    private static String mutate(String text, Random random, int times) {
        StringBuilder s = new StringBuilder(text);
        for (int t = 0; t < times && s.length() > 0; t++) {
            int at = random.nextInt(s.length());
            int len = Math.min(s.length() - at, 1 + random.nextInt(40));
            switch (random.nextInt(6)) {
                case 0 -> s.delete(at, at + len);
                case 1 -> s.insert(at, s.substring(at, at + len));
                case 2 -> s.insert(at, HOSTILE[random.nextInt(HOSTILE.length)]);
                case 3 -> s.replace(at, at + len, HOSTILE[random.nextInt(HOSTILE.length)]);
                case 4 -> s.setCharAt(at, (char) random.nextInt(0x80));
                default -> {
                    int to = random.nextInt(s.length() - len + 1);
                    String cut = s.substring(at, at + len);
                    s.delete(at, at + len);
                    s.insert(Math.min(to, s.length()), cut);
                }
            }
        }
        return s.toString();
    }

    private static byte[] mutate(byte[] base, Random random) {
        byte[] b;
        switch (random.nextInt(4)) {
            case 0 -> b = java.util.Arrays.copyOf(base, random.nextInt(base.length));          // cut short
            case 1 -> {                                                                         // stretched
                b = new byte[base.length + random.nextInt(4096)];
                random.nextBytes(b);
                System.arraycopy(base, 0, b, 0, base.length);
            }
            default -> b = base.clone();
        }
        int flips = 1 + random.nextInt(16);
        for (int f = 0; f < flips && b.length > 0; f++) {
            int at = random.nextInt(Math.min(b.length, 2048));     // mostly headers: the first entries
            String picks = "/.\u0000-7 x0S";
            b[at] = random.nextInt(3) == 0 ? (byte) random.nextInt(256) : (byte) picks.charAt(random.nextInt(picks.length()));
        }
        return b;
    }

    /** A small tar as runtimes have them: directories, files, a symlink, a hard link, a long (PAX) name. */
    private static byte[] sampleTar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String d : new String[] {"python/", "python/bin/", "python/lib/"}) {
                TarArchiveEntry e = new TarArchiveEntry(d);
                e.setModTime(FileTime.fromMillis(1_000_000_000_000L));
                out.putArchiveEntry(e);
                out.closeArchiveEntry();
            }
            file(out, "python/bin/python3.11", "#!/bin/sh\necho hello\n");
            file(out, "python/lib/" + "long-name-".repeat(12) + ".py", "x = 1\n");
            TarArchiveEntry link = new TarArchiveEntry("python/bin/python3", TarConstants.LF_SYMLINK);
            link.setLinkName("python3.11");
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
            TarArchiveEntry hard = new TarArchiveEntry("python/bin/python", TarConstants.LF_LINK);
            hard.setLinkName("python/bin/python3.11");
            out.putArchiveEntry(hard);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream out, String name, String content) throws IOException {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(0755);
        e.setModTime(FileTime.fromMillis(1_000_000_000_000L));
        out.putArchiveEntry(e);
        out.write(data);
        out.closeArchiveEntry();
    }

    /** Deletes a tree (the unpacker may leave read-only files). */
    private static final class Cleanup {
        static void delete(Path root) throws IOException {
            if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
