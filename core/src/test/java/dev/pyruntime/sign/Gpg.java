package dev.pyruntime.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's own {@code gpg}, in a home of its own, as a publisher makes a key and a consumer checks a signature. The
 * agent it starts is stopped on {@link #close}.
 */
public final class Gpg implements AutoCloseable {
    private final Path home;

    /** What a gpg run printed and how it ended. */
    public record Result(int exit, String out, String err) {
    }

    public Gpg(Path dir) throws IOException {
        this.home = Files.createDirectories(dir);
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }

    public Path home() {
        return home;
    }

    /** Runs gpg with {@code args}, in batch mode, in this home. */
    public Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--batch", "--no-tty"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        p.getOutputStream().close();
        var out = p.getInputStream();
        var err = p.getErrorStream();
        var errText = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                errText.complete(e.toString());
            }
        });
        t.start();
        String outText = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gpg " + args[0] + " did not finish in 120 s");
        }
        t.join();
        return new Result(p.exitValue(), outText, errText.join());
    }

    /** Runs gpg and fails unless it succeeds. */
    public String ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        if (r.exit() != 0) {
            throw new IOException("gpg " + String.join(" ", args) + " failed (" + r.exit() + "): " + r.err());
        }
        return r.out();
    }

    /**
     * Makes a key the way a publisher does: an ed25519 primary key that certifies, with a signing subkey, protected by
     * {@code passphrase}. Returns the primary key's fingerprint.
     */
    public String makeKey(String userId, String passphrase) throws IOException, InterruptedException {
        ok("--pinentry-mode", "loopback", "--passphrase", passphrase, "--quick-gen-key", userId, "ed25519", "cert", "1y");
        String fpr = fingerprints().get(0);
        ok("--pinentry-mode", "loopback", "--passphrase", passphrase, "--quick-add-key", fpr, "ed25519", "sign", "1y");
        return fpr;
    }

    /** The fingerprints of the keys in this home: primary keys and subkeys, in gpg's order. */
    public List<String> fingerprints() throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (String line : ok("--with-colons", "--list-keys").split("\n")) {
            if (line.startsWith("fpr:")) {
                out.add(line.split(":")[9]);
            }
        }
        return out;
    }

    /** The armored secret key, as a publisher puts it in MAVEN_GPG_KEY. */
    public String exportSecret(String fingerprint, String passphrase) throws IOException, InterruptedException {
        return ok("--pinentry-mode", "loopback", "--passphrase", passphrase, "--armor", "--export-secret-keys",
                fingerprint);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }
}
