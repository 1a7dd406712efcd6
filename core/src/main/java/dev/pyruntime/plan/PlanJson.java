package dev.pyruntime.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Reads and writes plans as JSON, deterministically, and computes their fingerprint. */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PlanJson() {
    }

    public static String write(BuildPlan plan) {
        try {
            return MAPPER.writeValueAsString(plan) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a plan is plain data and always serialises", e);
        }
    }

    public static BuildPlan read(String json) throws IOException {
        return MAPPER.readValue(json, BuildPlan.class);
    }

    public static BuildPlan read(Path file) throws IOException {
        return read(Files.readString(file));
    }

    /** Writes to a temporary file beside {@code file} and renames it, so readers never see half a plan. */
    public static void writeAtomically(BuildPlan plan, Path file) throws IOException {
        dev.pyruntime.AtomicFiles.writeString(file, write(plan));
    }

    /**
     * SHA-256 of the plan's JSON without its fingerprint and what verify checks (it changes nothing built), with the build directory replaced by
     * {@code ${buildDir}}, so the same inputs give the same fingerprint wherever the project is checked out.
     */
    public static String fingerprint(BuildPlan plan) {
        String canonical = write(plan.withFingerprint(null).withVerify(List.of(), List.of(), null));
        if (plan.buildDir() != null && !plan.buildDir().isEmpty()) {
            canonical = canonical.replace(plan.buildDir(), "${buildDir}");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
