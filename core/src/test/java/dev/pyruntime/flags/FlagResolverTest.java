package dev.pyruntime.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FlagResolverTest {
    private static final String BUILD = "/work/t/build";

    private static VendorFlags vendor(String cflags, String cppflags, String ldflags) {
        return new VendorFlags("Debian", "1.21.22", "/cwd", Map.of("CFLAGS", cflags, "CPPFLAGS", cppflags, "LDFLAGS", ldflags),
                Map.of("CFLAGS", "vendor", "CPPFLAGS", "vendor", "LDFLAGS", "vendor"), Map.of());
    }

    private static List<String> values(List<Flag> flags) {
        return flags.stream().map(Flag::value).toList();
    }

    @Test
    void layersApplyInOrderAndKeepOrigins() {
        VendorFlags v = vendor("-g -O2 -ffile-prefix-map=/cwd=. -fstack-protector-strong", "-D_FORTIFY_SOURCE=2", "-Wl,-z,relro");
        List<FlagResolver.Layer> layers = List.of(
                new FlagResolver.Layer("build.flags", Map.of(FlagKind.CFLAGS, new Edit(List.of("-fA"), List.of("-O2")))),
                new FlagResolver.Layer("overrides[0] (python.yaml:9)", Map.of(FlagKind.CFLAGS, new Edit(List.of("-fB"), List.of()))),
                new FlagResolver.Layer("profile quick", Map.of(FlagKind.CFLAGS, new Edit(List.of(), List.of("-fA")))));
        FlagResolver.Resolved r = FlagResolver.resolve(v, BUILD, layers, Map.of(), List.of(), Set.of());
        List<Flag> cflags = r.flags().get(FlagKind.CFLAGS);
        assertEquals(List.of("-g", "-ffile-prefix-map=/work/t/build=.", "-fstack-protector-strong", "-fB"), values(cflags));
        assertEquals("dpkg-buildflags (vendor)", cflags.get(0).origin());
        assertEquals("overrides[0] (python.yaml:9)", cflags.get(3).origin());
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
    }

    @Test
    void aLaterLayerCanRemoveWhatAnEarlierOneAddedAndAddItBack() {
        List<FlagResolver.Layer> layers = List.of(
                new FlagResolver.Layer("a", Map.of(FlagKind.LDFLAGS, new Edit(List.of("-Wl,-z,now"), List.of()))),
                new FlagResolver.Layer("b", Map.of(FlagKind.LDFLAGS, new Edit(List.of("-Wl,-z,now"), List.of("-Wl,-z,*")))));
        FlagResolver.Resolved r = FlagResolver.resolve(vendor("", "", "-Wl,-z,relro"), BUILD, layers, Map.of(), List.of(), Set.of());
        List<Flag> ld = r.flags().get(FlagKind.LDFLAGS);
        assertEquals(List.of("-Wl,-z,now"), values(ld));
        assertEquals("b", ld.get(0).origin());
    }

    @Test
    void noVendorFlagsWhenTheManifestSaysNone() {
        FlagResolver.Resolved r = FlagResolver.resolve(null, BUILD,
                List.of(new FlagResolver.Layer("build.flags", Map.of(FlagKind.CPPFLAGS, new Edit(List.of("-DX"), List.of())))),
                Map.of(), List.of(), Set.of());
        assertEquals(List.of(), r.flags().get(FlagKind.CFLAGS));
        assertEquals(List.of("-DX"), values(r.flags().get(FlagKind.CPPFLAGS)));
    }

    @Test
    void pluginFlagsComeLastAndAreNotDuplicated() {
        Map<FlagKind, List<Flag>> plugin = Map.of(FlagKind.LDFLAGS, List.of(new Flag("-Wl,-rpath,$ORIGIN/../lib", "plugin")));
        FlagResolver.Resolved r = FlagResolver.resolve(vendor("", "", "-Wl,-z,relro"), BUILD,
                List.of(new FlagResolver.Layer("build.flags", Map.of(FlagKind.LDFLAGS, new Edit(List.of("-Wl,--strip-all"), List.of())))),
                plugin, List.of(), Set.of());
        assertEquals(List.of("-Wl,-z,relro", "-Wl,--strip-all", "-Wl,-rpath,$ORIGIN/../lib"), values(r.flags().get(FlagKind.LDFLAGS)));
    }

    @Test
    void optimizationLevelConflictIsAWarningUntilAccepted() {
        VendorFlags v = vendor("-g -O2", "", "");
        Diagnostic warn = FlagResolver.resolve(v, BUILD, List.of(), Map.of(), List.of(), Set.of()).diagnostics().get(0);
        assertEquals("optimization-level", warn.check());
        assertTrue(warn.isWarning());
        assertEquals("EXTRA_CFLAGS has -O2 (from dpkg-buildflags (vendor)); CPython puts EXTRA_CFLAGS after its own OPT "
                + "(-O3), so -O2 wins. To change it, remove it with cflags: { remove: [-O2] }; to keep it quietly, add "
                + "accept: [optimization-level]", warn.message());
        Diagnostic ok = FlagResolver.resolve(v, BUILD, List.of(), Map.of(), List.of(), Set.of("optimization-level"))
                .diagnostics().get(0);
        assertFalse(ok.isWarning());
        assertTrue(ok.message().endsWith("(accepted by the manifest)"), ok.message());
    }

    @Test
    void vendorLtoNextToWithLtoIsReportedOnlyWithWithLto() {
        VendorFlags v = vendor("-flto=auto -ffat-lto-objects", "", "-flto=auto");
        List<Diagnostic> with = FlagResolver.resolve(v, BUILD, List.of(), Map.of(), List.of("--with-lto"), Set.of()).diagnostics();
        assertEquals(3, with.stream().filter(d -> d.check().equals("vendor-lto")).count(), with.toString());
        List<Diagnostic> without = FlagResolver.resolve(v, BUILD, List.of(), Map.of(), List.of("--enable-shared"), Set.of()).diagnostics();
        assertTrue(without.stream().noneMatch(d -> d.check().equals("vendor-lto")), without.toString());
    }

    @Test
    void contradictingFlagsAreReportedWithTheWinner() {
        FlagResolver.Resolved r = FlagResolver.resolve(vendor("-fomit-frame-pointer", "", ""), BUILD,
                List.of(new FlagResolver.Layer("overrides[1] (python.yaml:40)",
                        Map.of(FlagKind.CFLAGS, new Edit(List.of("-fno-omit-frame-pointer"), List.of())))),
                Map.of(), List.of(), Set.of());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("contradicting-flags", d.check());
        assertTrue(d.message().contains("the last one, -fno-omit-frame-pointer, wins"), d.message());
    }

    @Test
    void negation() {
        assertTrue(FlagResolver.negates("-fno-omit-frame-pointer", "-fomit-frame-pointer"));
        assertTrue(FlagResolver.negates("-mno-omit-leaf-frame-pointer", "-momit-leaf-frame-pointer"));
        assertFalse(FlagResolver.negates("-fstack-protector", "-fstack-protector-strong"));
        assertFalse(FlagResolver.negates("-fno-x", "-mx"));
    }

    @Test
    void prefixMapIsOnlyRewrittenForTheDirectoryDpkgRanIn() {
        assertEquals("-ffile-prefix-map=/b=.", FlagResolver.normalisePrefixMap("-ffile-prefix-map=/cwd=.", "/cwd", "/b"));
        assertEquals("-fdebug-prefix-map=/b=.", FlagResolver.normalisePrefixMap("-fdebug-prefix-map=/cwd=.", "/cwd", "/b"));
        assertEquals("-ffile-prefix-map=/other=.", FlagResolver.normalisePrefixMap("-ffile-prefix-map=/other=.", "/cwd", "/b"));
    }
}
