package dev.pyruntime.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.fornwall.jelf.ElfDynamicSection;
import net.fornwall.jelf.ElfException;
import net.fornwall.jelf.ElfFile;
import net.fornwall.jelf.ElfSegment;
import net.fornwall.jelf.ElfStringTable;
import net.fornwall.jelf.ElfSymbol;
import net.fornwall.jelf.ElfSymbolTableSection;

/**
 * The hardening-relevant facts of one ELF file, read from its program headers, dynamic section and dynamic symbols
 * (which survive {@code --strip-all}).
 *
 * @param loadable       an executable or shared object (not a relocatable {@code .o}, which nothing loads)
 * @param pie            a position-independent executable (ET_DYN with an interpreter, or DF_1_PIE)
 * @param relro          has a PT_GNU_RELRO segment
 * @param bindNow        resolves all symbols at load (DT_BIND_NOW, DF_BIND_NOW or DF_1_NOW): with RELRO, "full RELRO"
 * @param nxStack        has PT_GNU_STACK without the execute bit
 * @param textrel        needs text relocations (DT_TEXTREL or DF_TEXTREL)
 * @param runpath        DT_RUNPATH entries
 * @param rpath          DT_RPATH entries
 * @param stackProtector references {@code __stack_chk_fail}
 * @param fortified      the {@code __*_chk} functions it uses (FORTIFY_SOURCE's checked variants)
 * @param needed         DT_NEEDED entries: the libraries it loads, by soname
 */
public record ElfFacts(boolean loadable, boolean pie, boolean relro, boolean bindNow, boolean nxStack, boolean textrel,
                       List<String> runpath, List<String> rpath, boolean stackProtector, List<String> fortified,
                       List<String> needed) {

    static final int PT_GNU_STACK = 0x6474e551;
    static final int PT_GNU_RELRO = 0x6474e552;
    static final int PF_X = 1;
    static final long DF_TEXTREL = 0x4;
    static final long DF_BIND_NOW = 0x8;
    static final long DF_1_NOW = 0x1;
    static final long DF_1_PIE = 0x08000000L;

    /** Whether {@code file} starts with the ELF magic. */
    public static boolean isElf(Path file) {
        return dev.pyruntime.compile.RuntimeContents.isElf(file);
    }

    public static ElfFacts read(Path file) throws IOException {
        try {
            return parse(file);
        } catch (RuntimeException e) {
            // jelf reads lazily: a truncated or crafted header can fail anywhere while its facts are read. The file's
            // fault, reported as such.
            throw new IOException(file + " is not a readable ELF file: " + e, e);
        } catch (OutOfMemoryError e) {
            // A crafted section size: jelf's one allocation for it failed, and nothing of it was kept.
            throw new IOException(file + " is not a readable ELF file: its headers claim more than memory holds", e);
        }
    }

    private static ElfFacts parse(Path file) throws IOException {
        ElfFile elf;
        try {
            // Mapped, not read onto the heap: an ELF file of any size is parsed in constant heap.
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
                elf = ElfFile.from(ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size()));
            }
        } catch (ElfException e) {
            throw new IOException(file + " is not a readable ELF file: " + e.getMessage(), e);
        }
        boolean relro = false;
        boolean nx = false;
        boolean interp = false;
        for (int i = 0; i < elf.e_phnum; i++) {
            ElfSegment ph = elf.getProgramHeader(i);
            if (ph.p_type == PT_GNU_RELRO) {
                relro = true;
            } else if (ph.p_type == PT_GNU_STACK) {
                nx = (ph.p_flags & PF_X) == 0;
            } else if (ph.p_type == ElfSegment.PT_INTERP) {
                interp = true;
            }
        }
        boolean bindNow = false;
        boolean textrel = false;
        long flags1 = 0;
        List<String> runpath = new ArrayList<>();
        List<String> rpath = new ArrayList<>();
        List<String> needed = new ArrayList<>();
        ElfDynamicSection dynamic = elf.getDynamicSection();
        if (dynamic != null) {
            ElfStringTable strings = elf.getDynamicStringTable();
            for (ElfDynamicSection.ElfDynamicStructure d : dynamic.entries) {
                if (d.d_tag == ElfDynamicSection.DT_BIND_NOW) {
                    bindNow = true;
                } else if (d.d_tag == ElfDynamicSection.DT_TEXTREL) {
                    textrel = true;
                } else if (d.d_tag == ElfDynamicSection.DT_FLAGS) {
                    bindNow |= (d.d_val_or_ptr & DF_BIND_NOW) != 0;
                    textrel |= (d.d_val_or_ptr & DF_TEXTREL) != 0;
                } else if (d.d_tag == ElfDynamicSection.DT_FLAGS_1) {
                    flags1 = d.d_val_or_ptr;
                    bindNow |= (flags1 & DF_1_NOW) != 0;
                } else if (d.d_tag == ElfDynamicSection.DT_RUNPATH && strings != null) {
                    runpath.addAll(List.of(strings.get((int) d.d_val_or_ptr).split(":")));
                } else if (d.d_tag == ElfDynamicSection.DT_RPATH && strings != null) {
                    rpath.addAll(List.of(strings.get((int) d.d_val_or_ptr).split(":")));
                } else if (d.d_tag == ElfDynamicSection.DT_NEEDED && strings != null) {
                    needed.add(strings.get((int) d.d_val_or_ptr));
                }
            }
        }
        boolean pie = elf.e_type == ElfFile.ET_DYN && (interp || (flags1 & DF_1_PIE) != 0);
        boolean canary = false;
        TreeSet<String> fortified = new TreeSet<>();
        ElfSymbolTableSection dynsym = elf.getDynamicSymbolTableSection();
        if (dynsym != null) {
            for (ElfSymbol s : dynsym.symbols) {
                String name = s.getName();
                if (name == null) {
                    continue;
                }
                if (name.equals("__stack_chk_fail")) {
                    canary = true;
                } else if (name.startsWith("__") && name.endsWith("_chk") && !name.startsWith("__stack_chk")) {
                    fortified.add(name);
                }
            }
        }
        boolean loadable = elf.e_type == ElfFile.ET_EXEC || elf.e_type == ElfFile.ET_DYN;
        return new ElfFacts(loadable, pie, relro, bindNow, nx, textrel, List.copyOf(runpath), List.copyOf(rpath), canary,
                List.copyOf(fortified), List.copyOf(needed));
    }
}
