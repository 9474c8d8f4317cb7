package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Finds a named section of an ELF file read at random, through its section header table and
 * section name table: a few kilobytes read, not the binary. Go's build information and
 * {@code cargo auditable}'s dependency list are both sections of the executable.
 */
final class ElfSections
{
    private static final int MAX_NAMES = 1 << 20;

    /** What looking a section up found. */
    sealed interface Lookup permits Found, Missing, Unlisted, NotElf {}

    /** The section's place in the file, and the file's byte order. */
    record Found(long offset, long size, ByteOrder order) implements Lookup {}

    /** The file lists its sections, and not this one. */
    record Missing() implements Lookup {}

    /** An ELF file without a usable section header table (stripped of it, or damaged). */
    record Unlisted() implements Lookup {}

    record NotElf() implements Lookup {}

    private ElfSections() {}

    /**
     * Whether a file is an executable worth opening for a section of build information: a
     * regular executable file of at least {@code minSize} bytes that is neither a shared
     * library nor an archive (those are someone else's to read).
     */
    static boolean mayCarrySections(String path, FileNode node, long minSize)
    {
        if (!node.isFile() || !node.isExecutable() || node.size() < minSize) {
            return false;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        return !name.contains(".so") && !JavaArchives.isArchive(name);
    }

    static Lookup find(ChannelRegion elf, String name)
            throws IOException
    {
        if (elf.size() < 64) {
            return new NotElf();
        }
        ByteBuffer ident = elf.read(0, 64, ByteOrder.LITTLE_ENDIAN);
        if (!isElf(ident)) {
            return new NotElf();
        }
        boolean is64 = ident.get(4) == 2;
        ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ident.order(order);
        long sectionHeaders = is64 ? ident.getLong(0x28) : Integer.toUnsignedLong(ident.getInt(0x20));
        int entrySize = Short.toUnsignedInt(ident.getShort(is64 ? 0x3a : 0x2e));
        int count = Short.toUnsignedInt(ident.getShort(is64 ? 0x3c : 0x30));
        int names = Short.toUnsignedInt(ident.getShort(is64 ? 0x3e : 0x32));
        if (sectionHeaders == 0 || count == 0 || names >= count || entrySize < (is64 ? 64 : 40)) {
            return new Unlisted();
        }
        ByteBuffer table = elf.read(sectionHeaders, entrySize * count, order);
        long[] nameTable = section(table, names * entrySize, is64);
        if (nameTable[1] > MAX_NAMES) {
            return new Unlisted();
        }
        ByteBuffer nameBytes = elf.read(nameTable[0], (int) nameTable[1], order);
        for (int i = 0; i < count; i++) {
            if (matches(nameBytes, table.getInt(i * entrySize), name)) {
                long[] found = section(table, i * entrySize, is64);
                return new Found(found[0], found[1], order);
            }
        }
        return new Missing();
    }

    /**
     * Whether the first bytes are an ELF identification: the magic, a class (32 or 64 bits), a
     * byte order and version 1. A file that only starts with the magic is no ELF file a loader runs.
     */
    static boolean isElf(ByteBuffer ident)
    {
        return ident.limit() >= 16 && ident.getInt(0) == 0x464c457f && (ident.get(4) == 1 || ident.get(4) == 2) && (ident.get(5) == 1 || ident.get(5) == 2)
                && ident.get(6) == 1;
    }

    /**
     * The start of the data segment (the first loadable segment that is writable and not
     * executable), where the Go linker puts the build information when there is no section
     * table to name it; as Go's own {@code debug/buildinfo} finds it. Empty if there is none.
     */
    static java.util.Optional<Found> dataSegment(ChannelRegion elf)
            throws IOException
    {
        ByteBuffer ident = elf.read(0, 64, ByteOrder.LITTLE_ENDIAN);
        if (!isElf(ident)) {
            return java.util.Optional.empty();
        }
        boolean is64 = ident.get(4) == 2;
        ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ident.order(order);
        long programHeaders = is64 ? ident.getLong(0x20) : Integer.toUnsignedLong(ident.getInt(0x1c));
        int entrySize = Short.toUnsignedInt(ident.getShort(is64 ? 0x36 : 0x2a));
        int count = Short.toUnsignedInt(ident.getShort(is64 ? 0x38 : 0x2c));
        if (programHeaders <= 0 || count == 0 || entrySize < (is64 ? 56 : 32)) {
            return java.util.Optional.empty();
        }
        ByteBuffer table = elf.read(programHeaders, entrySize * count, order);
        for (int i = 0; i < count; i++) {
            int base = i * entrySize;
            int flags = table.getInt(base + (is64 ? 4 : 24));
            if (table.getInt(base) != 1 || (flags & 3) != 2) {
                continue;
            }
            long offset = is64 ? table.getLong(base + 8) : Integer.toUnsignedLong(table.getInt(base + 4));
            long fileSize = is64 ? table.getLong(base + 32) : Integer.toUnsignedLong(table.getInt(base + 16));
            return java.util.Optional.of(new Found(offset, fileSize, order));
        }
        return java.util.Optional.empty();
    }

    // {offset, size} of the section header at the index
    private static long[] section(ByteBuffer table, int base, boolean is64)
    {
        if (is64) {
            return new long[] {table.getLong(base + 24), table.getLong(base + 32)};
        }
        return new long[] {Integer.toUnsignedLong(table.getInt(base + 16)), Integer.toUnsignedLong(table.getInt(base + 20))};
    }

    private static boolean matches(ByteBuffer names, int offset, String name)
    {
        if (offset < 0 || offset + name.length() >= names.limit()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (names.get(offset + i) != name.charAt(i)) {
                return false;
            }
        }
        return names.get(offset + name.length()) == 0;
    }
}
