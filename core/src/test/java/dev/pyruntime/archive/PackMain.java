package dev.pyruntime.archive;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * The package step's packing alone, for {@code bench/package-vs-zstd-cli}: {@code PackMain <tree> <out.tar.zst> [level]
 * [windowLog]}. Prints the archive's sha256 and size.
 */
public final class PackMain {
    private PackMain() {
    }

    public static void main(String[] args) throws Exception {
        int level = args.length > 2 ? Integer.parseInt(args[2]) : 22;
        int windowLog = args.length > 3 ? Integer.parseInt(args[3]) : 27;
        TarZst.Written w = TarZst.write(Path.of(args[0]), Path.of(args[1]),
                new TarZst.Settings(FileTime.from(1_704_067_200L, TimeUnit.SECONDS), level, windowLog));
        System.out.println(w.sha256() + " " + w.size());
    }
}
