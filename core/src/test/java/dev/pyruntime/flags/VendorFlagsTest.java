package dev.pyruntime.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyruntime.env.HostEnvironment;
import dev.pyruntime.env.HostInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VendorFlagsTest {

    @Test
    void parsesQueryOutput() {
        String out = String.join("\n", "Vendor: Debian", "Environment:", "", "Area: hardening", "Features:",
                " bindnow=no", " fortify=yes", "Builtins:", " pie=yes", "", "Flag: CFLAGS",
                "Value: -g -O2 -ffile-prefix-map=/x=. -fstack-protector-strong", "Origin: vendor", "",
                "Flag: LDFLAGS", "Value: -Wl,-z,relro", "Origin: env", "", "Flag: ASFLAGS", "Value: ", "Origin: vendor", "");
        VendorFlags v = VendorFlags.parseQuery(out, "1.21.22", "/x");
        assertEquals("Debian", v.vendor());
        assertEquals(List.of("-g", "-O2", "-ffile-prefix-map=/x=.", "-fstack-protector-strong"), v.tokens(FlagKind.CFLAGS));
        assertEquals("env", v.origin(FlagKind.LDFLAGS));
        assertEquals(List.of(), v.tokens(FlagKind.CPPFLAGS));
        assertEquals("no", v.features().get("hardening.bindnow"));
        assertEquals("yes", v.features().get("hardening.fortify"));
        assertFalse(v.features().containsKey("hardening.pie"), "builtins are not features");
    }

    /** The real dpkg-buildflags of this machine, asked through the host environment. */
    @Test
    void readsThisMachinesDpkgBuildflags(@TempDir Path dir) throws Exception {
        HostEnvironment host = new HostEnvironment(HostInfo.detect());
        VendorFlags v = DpkgBuildflags.query(host, dir, "");
        assertTrue(v.tokens(FlagKind.CFLAGS).contains("-ffile-prefix-map=" + dir + "=."), v.toString());
        assertTrue(v.tokens(FlagKind.CPPFLAGS).stream().anyMatch(t -> t.startsWith("-D_FORTIFY_SOURCE=")), v.toString());
        assertEquals("vendor", v.origin(FlagKind.CFLAGS));
        assertFalse(v.dpkgVersion().isEmpty());
        VendorFlags all = DpkgBuildflags.query(host, dir, "hardening=+all");
        assertTrue(all.tokens(FlagKind.LDFLAGS).contains("-Wl,-z,now"), "hardening=+all turns on bindnow: " + all);
        assertEquals("yes", all.features().get("hardening.bindnow"));
        assertTrue(DpkgBuildflags.buildTriplet(host, dir).matches("[a-z0-9_]+-linux-gnu[a-z]*"));
    }
}
