package dev.pyruntime.compile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pyruntime.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a compile records beside its staging tree for the steps after it ({@code build-info.json}).
 *
 * @param sourceDateEpoch the SOURCE_DATE_EPOCH the build ran with: the newest file time of the source, the release's date
 * @param toolchain       the tools that built it (see {@link Toolchain})
 * @param contents        the packages the runtime needs at run time and the modules it has (see {@link RuntimeContents})
 */
public record BuildInfo(long sourceDateEpoch, Map<String, String> toolchain, RuntimeContents contents) {
    public static final String FILE = "build-info.json";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public void write(Path workDir) throws IOException {
        AtomicFiles.writeString(workDir.resolve(FILE), JSON.writeValueAsString(this) + "\n");
    }

    /** What the last compile of this work directory recorded. */
    public static BuildInfo read(Path workDir) throws IOException {
        return JSON.readValue(Files.readString(workDir.resolve(FILE)), BuildInfo.class);
    }
}
