package dev.pyruntime.compile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HexFormat;
import net.fornwall.jelf.ElfFile;
import net.fornwall.jelf.ElfNoteSection;
import net.fornwall.jelf.ElfSection;
import net.fornwall.jelf.ElfSectionHeader;

/**
 * What an ELF file says about its debug information: its GNU build-id (the note {@code ld --build-id} writes, which
 * gdb and perf look debug files up by) and whether it holds DWARF and a symbol table. A separate debug file made with
 * {@code objcopy --only-keep-debug} has the same build-id as the file it was split from, and its DWARF; the shipped,
 * stripped file has neither DWARF nor {@code .symtab}.
 *
 * @param loadable  an executable or shared object: what a link made and something loads (not a relocatable
 *                  {@code .o}, such as {@code config-3.X/python.o}, whose symbols a consumer's link still needs)
 * @param buildId   the build-id in lower-case hex, or null when the file has none
 * @param debugInfo has a {@code .debug_info} section with contents
 * @param symtab    has a static symbol table ({@code .symtab}; {@code .dynsym} does not count)
 */
public record ElfDebug(boolean loadable, String buildId, boolean debugInfo, boolean symtab) {

    public static ElfDebug read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            // Mapped, not read onto the heap: constant heap for a file of any size.
            ElfFile elf = ElfFile.from(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
            String buildId = null;
            boolean debugInfo = false;
            boolean symtab = false;
            for (int i = 0; i < elf.e_shnum; i++) {
                ElfSection s = elf.getSection(i);
                ElfSectionHeader h = s.header;
                if (h.sh_type == ElfSectionHeader.SHT_NOTE && s instanceof ElfNoteSection note
                        && note.n_type == ElfNoteSection.NT_GNU_BUILD_ID && "GNU".equals(note.getName())
                        && note.n_descsz >= 2 && note.n_descsz <= 64) {
                    buildId = HexFormat.of().formatHex(note.descriptorBytes());
                } else if (h.sh_type == ElfSectionHeader.SHT_SYMTAB) {
                    symtab = true;
                } else if (h.sh_type != ElfSectionHeader.SHT_NOBITS && h.sh_size > 0
                        && ".debug_info".equals(h.getName())) {
                    debugInfo = true;
                }
            }
            return new ElfDebug(elf.e_type == ElfFile.ET_EXEC || elf.e_type == ElfFile.ET_DYN, buildId, debugInfo,
                    symtab);
        } catch (RuntimeException e) {
            // jelf reads lazily: a truncated or crafted header fails anywhere. The file's fault, reported as such.
            throw new IOException(file + " is not a readable ELF file: " + e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            throw new IOException(file + " is not a readable ELF file: its headers claim more than memory holds", e);
        }
    }

    /** Where a debug file is found by build-id under a {@code debug-file-directory}: {@code .build-id/xx/rest.debug}. */
    public static String debugPath(String buildId) {
        return ".build-id/" + buildId.substring(0, 2) + "/" + buildId.substring(2) + ".debug";
    }
}
