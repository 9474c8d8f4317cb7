package io.runlight.insights.catalog;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The build information the Go linker (1.13 and later) puts in a binary's
 * {@code .go.buildinfo} section: a 32-byte header starting {@code \xff Go buildinf:}, aligned
 * to 16 bytes, then the Go version and the module list ({@code runtime/debug.BuildInfo}).
 * Go 1.18+ writes both strings right after the header (read from a stream); older linkers
 * write pointers to them (read at random, translating addresses with the ELF program headers).
 */
final class GoBuildInfo
{
    static final byte[] MAGIC = "\u00ff Go buildinf:".getBytes(StandardCharsets.ISO_8859_1);
    private static final int HEADER = 32;
    private static final int CHUNK = 1 << 20;
    private static final int MAX_STRING = 1 << 20;
    // Go's debug/buildinfo looks this far into the data segment
    private static final int DATA_SEARCH = 64 * 1024;

    /** One module line: {@code mod} (the main module) or {@code dep}, after {@code =>} replacements. */
    record Module(String path, String version, boolean main) {}

    /** What a binary says: its Go version and modules. */
    record Info(String goVersion, List<Module> modules) {}

    /** What scanning a stream found. */
    sealed interface Scan permits Found, NeedsRandomAccess, NotGo {}

    record Found(Info info) implements Scan {}

    /** A pre-1.18 binary: its strings are elsewhere in the file. */
    record NeedsRandomAccess() implements Scan {}

    record NotGo() implements Scan {}

    private GoBuildInfo() {}

    /** Whether the first bytes of a file are an ELF identification (see {@link ElfSections#isElf}). */
    static boolean isElf(byte[] head)
    {
        return ElfSections.isElf(ByteBuffer.wrap(head, 0, Math.min(head.length, 16)).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Scans an ELF file's content (from its first byte) for the build information. */
    static Scan scan(InputStream in)
            throws IOException
    {
        byte[] chunk = new byte[CHUNK];
        while (true) {
            int length = in.readNBytes(chunk, 0, CHUNK);
            if (length < MAGIC.length) {
                return new NotGo();
            }
            for (int position = 0; position + MAGIC.length <= length; position += 16) {
                if (chunk[position] != (byte) 0xff || !Arrays.equals(chunk, position, position + MAGIC.length, MAGIC, 0, MAGIC.length)) {
                    continue;
                }
                InputStream rest = new SequenceInputStream(new ByteArrayInputStream(chunk, position, length - position), in);
                byte[] header = rest.readNBytes(HEADER);
                if (header.length < HEADER) {
                    return new NotGo();
                }
                int flags = header[15];
                if ((flags & 2) == 0) {
                    return new NeedsRandomAccess();
                }
                String version = varintString(rest);
                String modules = varintString(rest);
                return new Found(new Info(version, modules(modules)));
            }
            if (length < CHUNK) {
                return new NotGo();
            }
        }
    }

    /** Reads a binary on disk, whichever format its build information has. */
    static Optional<Info> read(Path file)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(new ChannelRegion(channel, 0, channel.size()));
        }
    }

    /**
     * Reads an ELF binary at random: the {@code .go.buildinfo} section found through the section
     * headers (a few kilobytes read, not the binary); without section headers, the first 64 KiB
     * of the data segment, where the linker puts it (what Go's own {@code debug/buildinfo} reads).
     */
    static Optional<Info> read(ChannelRegion elf)
            throws IOException
    {
        ElfSections.Lookup lookup = ElfSections.find(elf, ".go.buildinfo");
        long offset;
        ByteBuffer bytes;
        if (lookup instanceof ElfSections.Found buildInfo) {
            offset = buildInfo.offset();
            bytes = elf.read(offset, (int) Math.min(buildInfo.size(), MAX_STRING + HEADER + 16), buildInfo.order());
        }
        else if (lookup instanceof ElfSections.Unlisted) {
            Optional<ElfSections.Found> data = ElfSections.dataSegment(elf);
            if (data.isEmpty()) {
                return Optional.empty();
            }
            ByteBuffer start = elf.read(data.get().offset(), (int) Math.min(Math.min(data.get().size(), DATA_SEARCH), elf.size() - data.get().offset()), data.get().order());
            int at = magicAt(start.array(), start.limit());
            if (at < 0) {
                return Optional.empty();
            }
            offset = data.get().offset() + at;
            bytes = elf.read(offset, (int) Math.min(elf.size() - offset, MAX_STRING + HEADER + 16), data.get().order());
        }
        else {
            // not ELF, or section headers and no build information: not a Go binary, and nothing more to read
            return Optional.empty();
        }
        int length = bytes.limit();
        if (length < HEADER || !Arrays.equals(bytes.array(), 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Optional.empty();
        }
        if ((bytes.get(15) & 2) != 0) {
            InputStream in = new ByteArrayInputStream(bytes.array(), HEADER, length - HEADER);
            String version = varintString(in);
            return Optional.of(new Info(version, modules(varintString(in))));
        }
        return pointerFormat(elf, offset);
    }

    // the magic at a 16-byte boundary, with room for the header after it
    private static int magicAt(byte[] data, int length)
    {
        for (int position = 0; position + HEADER <= length; position += 16) {
            if (data[position] == (byte) 0xff && Arrays.equals(data, position, position + MAGIC.length, MAGIC, 0, MAGIC.length)) {
                return position;
            }
        }
        return -1;
    }

    // Go 1.13 to 1.17: the header holds two pointers to Go string headers {data, length}
    private static Optional<Info> pointerFormat(ChannelRegion file, long offset)
            throws IOException
    {
        Elf elf = Elf.read(file);
        ByteBuffer header = file.read(offset, HEADER, elf.order());
        int pointerSize = header.get(14);
        if (pointerSize != 4 && pointerSize != 8) {
            throw new EOFException("build information with pointers of " + pointerSize + " bytes (Go writes 4 or 8)");
        }
        long versionAddress = pointer(header, 16, pointerSize);
        long modulesAddress = pointer(header, 16 + pointerSize, pointerSize);
        String version = goString(file, elf, versionAddress, pointerSize);
        String modules = goString(file, elf, modulesAddress, pointerSize);
        return Optional.of(new Info(version, modules(modules)));
    }

    private static String goString(ChannelRegion file, Elf elf, long address, int pointerSize)
            throws IOException
    {
        long headerOffset = elf.offsetOf(address).orElseThrow(() -> new EOFException("a string header at address 0x" + Long.toHexString(address) + ", outside the file's segments"));
        ByteBuffer stringHeader = file.read(headerOffset, pointerSize * 2, elf.order());
        long data = pointer(stringHeader, 0, pointerSize);
        long length = pointer(stringHeader, pointerSize, pointerSize);
        if (length < 0 || length > MAX_STRING) {
            throw new EOFException("a string of " + Long.toUnsignedString(length) + " bytes, more than the " + MAX_STRING + " build information has");
        }
        long dataOffset = elf.offsetOf(data).orElseThrow(() -> new EOFException("a string at address 0x" + Long.toHexString(data) + ", outside the file's segments"));
        ByteBuffer bytes = file.read(dataOffset, (int) length, elf.order());
        return new String(bytes.array(), 0, (int) length, StandardCharsets.UTF_8);
    }

    private static long pointer(ByteBuffer buffer, int index, int size)
    {
        return size == 8 ? buffer.getLong(index) : Integer.toUnsignedLong(buffer.getInt(index));
    }

    private static String varintString(InputStream in)
            throws IOException
    {
        long length = 0;
        int shift = 0;
        while (true) {
            int value = in.read();
            if (value < 0) {
                throw new EOFException("truncated build information");
            }
            length |= (long) (value & 0x7f) << shift;
            if ((value & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 35) {
                throw new EOFException("bad length in build information");
            }
        }
        if (length > MAX_STRING) {
            throw new EOFException("build information string of " + length + " bytes");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new EOFException("truncated build information");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * The module lines of {@code runtime/debug.BuildInfo.String()}: {@code path}, {@code mod},
     * {@code dep}, {@code =>} (replaces the module before it), {@code build}. Go 1.18+ wraps the
     * text in 16 sentinel bytes on each side.
     */
    static List<Module> modules(String text)
    {
        String body = text;
        if (body.length() >= 33 && body.charAt(body.length() - 17) == '\n') {
            body = body.substring(16, body.length() - 16);
        }
        List<Module> modules = new ArrayList<>();
        for (String line : body.split("\n")) {
            String[] fields = line.split("\t");
            switch (fields[0]) {
                case "mod", "dep" -> {
                    if (fields.length >= 2) {
                        modules.add(new Module(fields[1], fields.length >= 3 ? fields[2] : "", fields[0].equals("mod")));
                    }
                }
                case "=>" -> {
                    // a replacement by a local folder keeps the module's own name and version: that is what the code imports
                    boolean localFolder = fields.length < 3 || fields[1].startsWith(".") || fields[1].startsWith("/");
                    if (fields.length >= 2 && !modules.isEmpty() && !localFolder) {
                        Module replaced = modules.remove(modules.size() - 1);
                        modules.add(new Module(fields[1], fields[2], replaced.main()));
                    }
                }
                default -> {
                    // "path" and "build" lines name no module
                }
            }
        }
        return modules;
    }

    /** Enough of an ELF file to turn a virtual address into a file offset. */
    private record Elf(ByteOrder order, List<long[]> loads)
    {
        static Elf read(ChannelRegion file)
                throws IOException
        {
            ByteBuffer ident = file.read(0, 64, ByteOrder.LITTLE_ENDIAN);
            boolean is64 = ident.get(4) == 2;
            ByteOrder order = ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ident.order(order);
            long programHeaders = is64 ? ident.getLong(0x20) : Integer.toUnsignedLong(ident.getInt(0x1c));
            int entrySize = Short.toUnsignedInt(ident.getShort(is64 ? 0x36 : 0x2a));
            int count = Short.toUnsignedInt(ident.getShort(is64 ? 0x38 : 0x2c));
            if (count > 4096 || entrySize < (is64 ? 56 : 32)) {
                throw new EOFException("bad program headers");
            }
            ByteBuffer table = file.read(programHeaders, entrySize * count, order);
            List<long[]> loads = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int base = i * entrySize;
                if (table.getInt(base) != 1) {
                    continue;
                }
                long offset = is64 ? table.getLong(base + 8) : Integer.toUnsignedLong(table.getInt(base + 4));
                long address = is64 ? table.getLong(base + 16) : Integer.toUnsignedLong(table.getInt(base + 8));
                long fileSize = is64 ? table.getLong(base + 32) : Integer.toUnsignedLong(table.getInt(base + 16));
                loads.add(new long[] {address, offset, fileSize});
            }
            return new Elf(order, loads);
        }

        Optional<Long> offsetOf(long address)
        {
            for (long[] load : loads) {
                if (address >= load[0] && address < load[0] + load[2]) {
                    return Optional.of(load[1] + (address - load[0]));
                }
            }
            return Optional.empty();
        }
    }
}
