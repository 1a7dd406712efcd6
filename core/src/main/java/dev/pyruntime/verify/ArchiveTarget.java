package dev.pyruntime.verify;

import dev.pyruntime.Chars;
import dev.pyruntime.Setting;
import dev.pyruntime.UserError;
import dev.pyruntime.Vocabulary;
import dev.pyruntime.archive.ArchiveMetadata;
import dev.pyruntime.manifest.Manifest;
import dev.pyruntime.plan.Planner;
import dev.pyruntime.plan.Target;
import dev.pyruntime.plan.TargetSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Which target of a manifest an archive file given on its own is for: the one its metadata beside it names, or else
 * the one whose archive name it has. Found from the manifest alone, so verifying one archive plans (and starts the
 * build container of) that archive's target only, never the manifest's others.
 */
public final class ArchiveTarget {
    private ArchiveTarget() {
    }

    /**
     * @return the target id, one of the manifest's
     * @throws UserError when the metadata beside the file cannot be read or names no target of the manifest, or,
     *                   without metadata, when the file name is no target's archive name
     */
    public static String of(Path file, Manifest manifest, Vocabulary words) throws UserError {
        List<Target> targets = TargetSelector.expand(manifest);
        List<String> ids = targets.stream().map(Target::id).toList();
        String setting = words.name(Setting.ARCHIVE);
        Path meta = ArchiveMetadata.fileFor(file);
        if (Files.isRegularFile(meta)) {
            String id;
            try {
                id = ArchiveMetadata.read(meta).target();
            } catch (IOException | RuntimeException e) {
                throw new UserError(setting + ": " + meta + " beside it is not readable metadata ("
                        + Chars.shown(String.valueOf(e.getMessage()).lines().findFirst().orElse("")) + "); remove it "
                        + "to take the target from the file name");
            }
            if (id == null || !ids.contains(id)) {
                throw new UserError(setting + ": " + meta.getFileName() + " beside it names target '"
                        + (id == null ? "" : Chars.shown(id)) + "', which is no target of " + manifest.fileName()
                        + "; verify it with the manifest it was "
                        + "built from, or remove the metadata to take the target from the file name");
            }
            return id;
        }
        String name = file.getFileName().toString();
        for (Target t : targets) {
            if (Planner.archiveName(manifest, t).equals(name)) {
                return t.id();
            }
        }
        List<String> names = targets.stream().map(t -> Planner.archiveName(manifest, t)).toList();
        throw new UserError(setting + ": " + Chars.shown(name) + " is no archive name of the targets of "
                + manifest.fileName() + " (" + String.join(", ", names) + "), and no "
                + meta.getFileName() + " beside it says its target; rename it as its target's archive, or put its "
                + "metadata beside it");
    }
}
