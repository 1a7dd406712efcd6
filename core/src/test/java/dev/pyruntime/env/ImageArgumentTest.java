package dev.pyruntime.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's command line never gets an image name that it could read as an option or split into more arguments,
 * whoever calls the engine: the manifest reader refuses such names with their file and line first, and the engine
 * refuses them again.
 */
class ImageArgumentTest {
    @ParameterizedTest
    @ValueSource(strings = {"debian:12", "heroku/heroku:24-build", "python-runtime/debian-13-build",
            "python-runtime-prepared:54587926a4054ee931a7", "docker.io/library/debian@sha256:0123abcd"})
    void imageNamesPassAsTheyAre(String image) {
        assertEquals(image, ContainerEngine.imageArgument(image));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--privileged", "-v", "x --privileged -v /:/host", "debian:12\n--privileged", "", " debian"})
    void anythingAnEngineCouldReadAsAnOptionIsRefused(String image) {
        assertThrows(IllegalArgumentException.class, () -> ContainerEngine.imageArgument(image));
    }
}
