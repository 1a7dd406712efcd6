package dev.pyruntime.source;

import dev.pyruntime.Setting;
import dev.pyruntime.Sha256;
import dev.pyruntime.Console;
import dev.pyruntime.ProxySettings;
import dev.pyruntime.PathLock;
import dev.pyruntime.UserError;
import dev.pyruntime.plan.BuildPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Gets a target's upstream source: from the user's {@link SourceCache} when it is there, else from each of the
 * source's URLs in order ({@code apt-pool} standing for the Debian source pool of every apt archive this machine is
 * configured with). Whatever the place, the file's SHA-256 is checked before anything uses it; a cached copy that
 * no longer matches is deleted and fetched again; a download that does not match is never cached. Then its
 * signature, if the source declares one, is checked ({@link SignatureFetch}). Thread-safe; safe to run in several
 * Maven processes sharing one cache.
 */
public final class SourceFetcher {
    private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]*");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{40}");

    private final SourceCache cache;
    private final boolean offline;
    private final AptSources apt;
    private final Console console;
    private final Transfer transfer;
    private final SignatureFetch signatures;

    /**
     * @param cacheDir where sources are cached ({@link #defaultCacheDir()} unless the user says otherwise)
     * @param keysDir  where the pinned keys' public key files are ({@code <manifest dir>/keys})
     * @param offline  use the cache only (Maven's {@code -o})
     * @param apt      the apt archives {@code apt-pool} stands for ({@link AptSources#system()})
     * @param console  where to say what happens
     */
    public SourceFetcher(Path cacheDir, Path keysDir, boolean offline, AptSources apt, Console console) {
        this(cacheDir, keysDir, offline, apt, console, false);
    }

    /**
     * @param skipSignatures check no signature (each declared one is a warning instead): for mirrors that carry the
     *                       tarballs but not their signatures; the pinned sha256 is still checked
     */
    public SourceFetcher(Path cacheDir, Path keysDir, boolean offline, AptSources apt, Console console,
                         boolean skipSignatures) {
        this(cacheDir, keysDir, offline, apt, console, skipSignatures, null);
    }

    /** @param proxy the HTTP proxy downloads go through (settings.xml's {@code <proxy>}), or null */
    public SourceFetcher(Path cacheDir, Path keysDir, boolean offline, AptSources apt, Console console,
                         boolean skipSignatures, ProxySettings proxy) {
        this(cacheDir, keysDir, offline, apt, console,
                new Transfer(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), proxy), skipSignatures);
    }

    SourceFetcher(Path cacheDir, Path keysDir, boolean offline, AptSources apt, Console console, Transfer transfer) {
        this(cacheDir, keysDir, offline, apt, console, transfer, false);
    }

    SourceFetcher(Path cacheDir, Path keysDir, boolean offline, AptSources apt, Console console, Transfer transfer,
                  boolean skipSignatures) {
        this.cache = new SourceCache(cacheDir);
        this.offline = offline;
        this.apt = apt;
        this.console = console;
        this.transfer = transfer;
        this.signatures = new SignatureFetch(cache, keysDir, offline, apt, console, transfer, skipSignatures);
    }

    /** {@code ${user.home}/.cache/python-runtime/sources}: one cache for all of the user's projects. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "python-runtime", "sources");
    }

    /** Where the file with this SHA-256 is kept once cached: {@code <cache>/<sha256>/<file>}. */
    public Path cachePath(BuildPlan.SourceInfo source) throws UserError {
        check(source);
        return cache.entry(source.sha256().toLowerCase(Locale.ROOT), source.file());
    }

    /** Returns the verified tarball, in the cache. */
    public Path fetch(BuildPlan.SourceInfo source) throws UserError, IOException {
        check(source);
        String sha256 = source.sha256().toLowerCase(Locale.ROOT);
        String prefix = "Source " + source.file() + ": ";
        try (PathLock lock = lock(sha256, prefix)) {
            Path tarball = tarball(source, sha256, prefix);
            signatures.verify(source, sha256, tarball, prefix);
            return tarball;
        }
    }

    private PathLock lock(String sha256, String prefix) throws UserError {
        try {
            return cache.lock(sha256, lockFile -> console.info(prefix + "waiting for another build that is fetching "
                    + "it (lock " + lockFile + ")"));
        } catch (IOException e) {
            throw new UserError("Cannot use the source cache " + cache.dir() + ": " + e + "; make it a writable "
                    + "directory, or choose another with " + console.words().set(Setting.SOURCE_CACHE, "DIR"), e);
        }
    }

    private Path tarball(BuildPlan.SourceInfo source, String sha256, String prefix) throws UserError, IOException {
        Path entry = cache.entry(sha256, source.file());
        List<String> tried = new ArrayList<>();
        notAFile(entry, prefix);
        if (Files.isRegularFile(entry)) {
            String actual = Sha256.of(entry);
            if (actual.equals(sha256)) {
                console.info(prefix + "cached");
                return entry;
            }
            Files.delete(entry);
            String what = "cached copy " + entry + " is corrupt (sha256 " + actual + ", expected " + sha256 + ")";
            console.warn(prefix + what + ": deleted it" + (offline ? "" : ", fetching it again"));
            tried.add("cache " + entry + ": corrupt (sha256 " + actual + "), deleted");
        } else {
            tried.add("cache " + entry + ": not there");
        }
        if (offline) {
            throw new UserError("Source " + source.file() + " (sha256 " + sha256 + ") is not in the source cache and "
                    + console.words().offline() + (tried.get(0).contains("corrupt") ? "; the cached copy was corrupt"
                    : "") + ".\n  expected at: " + entry + "\nRun the build once online, or copy the file to "
                    + entry + " by hand (its sha256 must be " + sha256 + ").");
        }
        for (Place place : Place.of(source.urls(), source.file(), source.file(), apt)) {
            if (place.problem() != null) {
                tried.add(place.label() + ": " + place.problem());
                continue;
            }
            Path temp = cache.newTemp(sha256, source.file());
            try {
                Transfer.Copied copied = transfer.copy(place.uri(), temp);
                if (!copied.sha256().equals(sha256)) {
                    String why = "sha256 mismatch: expected " + sha256 + ", got " + copied.sha256() + " ("
                            + copied.bytes() + " bytes)";
                    console.warn(prefix + place.label() + ": " + why + "; not using it");
                    tried.add(place.label() + ": " + why);
                    continue;
                }
                cache.commit(temp, entry);
                console.info(prefix + "fetched from " + place.uri() + " (" + size(copied.bytes()) + " in "
                        + seconds(copied.took()) + ")");
                return entry;
            } catch (FetchFailed e) {
                console.warn(prefix + place.label() + ": " + e.getMessage());
                tried.add(place.label() + ": " + e.getMessage());
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        throw new UserError("Cannot get source " + source.file() + " (sha256 " + sha256 + "); tried:\n"
                + list(tried) + "How to fix: put the file at " + entry + " by hand (its sha256 must be " + sha256
                + "), or add a mirror that has it to source.mirrors in the manifest.");
    }

    /** Refuses a cache entry path that holds something other than a file: it would end the download's rename. */
    static void notAFile(Path entry, String prefix) throws UserError {
        if (Files.exists(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(entry)) {
            String what = Files.isDirectory(entry) ? "a directory"
                    : Files.isSymbolicLink(entry) ? "a symlink to no file" : "something other than a file";
            throw new UserError(prefix + "the source cache holds " + what + " at " + entry + ", where the file "
                    + "belongs; remove it (rm -r " + entry + ") and build again");
        }
    }

    private static void check(BuildPlan.SourceInfo source) throws UserError {
        String where = "source of the plan";
        if (source.file() == null || !SIMPLE_NAME.matcher(source.file()).matches()) {
            throw new UserError(where + ": file '" + source.file() + "' is not a plain file name (such as "
                    + "Python-3.13.5.tar.xz); fix the version's file in the manifest");
        }
        if (!Sha256.isValid(source.sha256() == null ? null : source.sha256().toLowerCase(Locale.ROOT))) {
            throw new UserError(where + " " + source.file() + ": sha256 '" + source.sha256() + "' is not 64 hex "
                    + "digits; fix the version's sha256 in the manifest");
        }
        if (source.signature() != null && !SIMPLE_NAME.matcher(source.signature()).matches()) {
            throw new UserError(where + " " + source.file() + ": signature '" + source.signature() + "' is not a plain "
                    + "file name (such as " + source.file() + ".asc)");
        }
        if (source.signingKey() != null && !FINGERPRINT.matcher(source.signingKey()).matches()
                && dev.pyruntime.sign.SigstoreCheck.Identity.decode(source.signingKey()) == null) {
            throw new UserError(where + " " + source.file() + ": signing key '" + source.signingKey() + "' is neither a "
                    + "40-hex-digit OpenPGP fingerprint nor a Sigstore identity; fix source.signingKeys in the manifest");
        }
    }

    static String list(List<String> tried) {
        StringBuilder out = new StringBuilder();
        tried.forEach(t -> out.append("  - ").append(t).append('\n'));
        return out.toString();
    }

    private static String size(long bytes) {
        return bytes >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0)
                : String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
    }

    private static String seconds(Duration took) {
        return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    }
}
