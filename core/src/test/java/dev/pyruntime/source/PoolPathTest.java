package dev.pyruntime.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PoolPathTest {

    @ParameterizedTest
    @CsvSource({
        "Python-3.11.2.tgz,             pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz",
        "Python-3.13.5.tar.xz,          pool/main/p/python3.13/python3.13_3.13.5.orig.tar.xz",
        "Python-3.13.5.tar.xz.asc,      pool/main/p/python3.13/python3.13_3.13.5.orig.tar.xz.asc",
        "Python-3.11.2.tgz.asc,         pool/main/p/python3.11/python3.11_3.11.2.orig.tar.gz.asc",
        "Python-3.10.20.tar.xz,         pool/main/p/python3.10/python3.10_3.10.20.orig.tar.xz",
        "Python-3.14.0rc1.tar.xz,       pool/main/p/python3.14/python3.14_3.14.0~rc1.orig.tar.xz",
        "Python-3.14.0a7.tgz,           pool/main/p/python3.14/python3.14_3.14.0~a7.orig.tar.gz",
    })
    void mapsUpstreamNamesToTheDebianPool(String upstream, String pool) {
        assertEquals(Optional.of(pool), PoolPath.of(upstream));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Python-3.11.tgz", "Python-3.11.2.tar.gz", "Python-3.11.2.tar.bz2", "python-3.11.2.tgz",
        "Python-3.11.2.tgz.sig", "Python-3.11.2.tgz.asc.asc", "Python-3.11.2", "Python-3.11.2rc.tgz",
        "Python-3.11.2-1.tgz", "../Python-3.11.2.tgz", "Python-3.11.2.tgz/", ""})
    void otherNamesHaveNoPoolPath(String name) {
        assertEquals(Optional.empty(), PoolPath.of(name));
    }
}
