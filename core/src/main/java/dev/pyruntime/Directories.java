package dev.pyruntime;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of a directory the user names, before anything is written under it. */
public final class Directories {
    private Directories() {
    }

    /**
     * Refuses a directory setting that cannot be a directory: the path, or the first of its ancestors that exists, is
     * a file. Creating it later would fail with a bare "Not a directory" or "File exists" that names no setting. A
     * missing directory is fine (it is created when needed).
     *
     * @param dir     the directory the setting names
     * @param setting the setting, named in the error
     */
    public static void requireUsable(Path dir, Setting setting, Vocabulary words) throws UserError {
        Path abs = dir.toAbsolutePath().normalize();
        for (Path p = abs; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new UserError(words.name(setting) + ": " + Chars.shown(abs.toString()) + " cannot be a "
                            + "directory: " + (p.equals(abs) ? "it is" : Chars.shown(p.toString()) + " is")
                            + " a file; point " + words.set(setting, "<directory>") + " at a directory "
                            + "(it is created if missing), or move the file away");
                }
                return;
            }
            if (Files.isSymbolicLink(p)) {
                throw new UserError(words.name(setting) + ": " + Chars.shown(abs.toString()) + " cannot be a "
                        + "directory: " + Chars.shown(p.toString()) + " is a link to nothing; point "
                        + words.set(setting, "<directory>") + " at a directory, or remove the link");
            }
        }
    }
}
