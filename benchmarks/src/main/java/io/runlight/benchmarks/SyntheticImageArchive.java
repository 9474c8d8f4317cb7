package io.runlight.benchmarks;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a {@code docker save} archive of about 1.1 GB shaped like a real application image:
 * <ul>
 *   <li>layer 1, a Debian base: {@code os-release}, a dpkg database of 300 packages with their
 *       {@code .list} files and 18,000 owned files (150 MB);</li>
 *   <li>layer 2, runtimes and dependencies: 2,000 npm packages (20,000 files), 200 Python
 *       distributions with {@code RECORD} (6,000 files), 150 jars of 2 MB with pom.properties,
 *       10 ELF executables of 10 MB that are neither Go nor Rust: 5 with a section table (the
 *       readers look it up), 5 stripped of it (the Go reader searches the first 64 KiB of the
 *       data segment, as Go's {@code debug/buildinfo} does);</li>
 *   <li>layer 3, application data: 40 files of 10 MB, a whiteout and an opaque folder.</li>
 * </ul>
 * Contents are pseudo-random (seeded: the same archive every time) so that nothing compresses
 * away; layers are uncompressed, as {@code docker save} writes them.
 */
final class SyntheticImageArchive
{
    private static final int BLOCK = 512;

    private final SplittableRandom random = new SplittableRandom(20261207);

    static Path createIfAbsent(Path archive)
            throws IOException
    {
        if (Files.isRegularFile(archive) && Files.size(archive) > 1_000_000_000L) {
            return archive;
        }
        Files.createDirectories(archive.getParent());
        Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
        new SyntheticImageArchive().write(partial);
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        return archive;
    }

    private void write(Path archive)
            throws IOException
    {
        Path work = Files.createTempDirectory(archive.getParent(), "layers-");
        try {
            List<Path> layers = List.of(base(work.resolve("layer1.tar")), runtimes(work.resolve("layer2.tar")), data(work.resolve("layer3.tar")));
            byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}".getBytes(StandardCharsets.UTF_8);
            String configHex = sha256(config);
            StringBuilder names = new StringBuilder();
            try (Tar tar = new Tar(archive)) {
                tar.file(configHex + ".json", config);
                for (int i = 0; i < layers.size(); i++) {
                    String name = "layer" + (i + 1) + "/layer.tar";
                    names.append(i == 0 ? "" : ",").append('"').append(name).append('"');
                    tar.file(name, layers.get(i));
                }
                tar.file("manifest.json", ("[{\"Config\":\"" + configHex + ".json\",\"RepoTags\":[\"bench/app:1\"],\"Layers\":[" + names + "]}]")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        finally {
            try (var files = Files.list(work)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(work);
        }
    }

    private Path base(Path layer)
            throws IOException
    {
        try (Tar tar = new Tar(layer)) {
            tar.file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n".getBytes(StandardCharsets.UTF_8));
            StringBuilder status = new StringBuilder();
            for (int p = 0; p < 300; p++) {
                String name = "pkg" + p;
                status.append("Package: ").append(name).append("\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1.").append(p).append("-1\n\n");
                StringBuilder list = new StringBuilder("/.\n/usr\n/usr/lib\n/usr/lib/" + name + "\n");
                for (int f = 0; f < 60; f++) {
                    String path = "usr/lib/" + name + "/file" + f + ".so";
                    list.append('/').append(path).append('\n');
                    tar.file(path, randomBytes(8 * 1024));
                }
                tar.file("var/lib/dpkg/info/" + name + ".list", list.toString().getBytes(StandardCharsets.UTF_8));
            }
            tar.file("var/lib/dpkg/status", status.toString().getBytes(StandardCharsets.UTF_8));
            tar.file("tmp/cache/old.bin", randomBytes(1024));
            tar.file("opt/state/a.txt", randomBytes(1024));
        }
        return layer;
    }

    private Path runtimes(Path layer)
            throws IOException
    {
        try (Tar tar = new Tar(layer)) {
            for (int p = 0; p < 2000; p++) {
                String folder = "srv/app/node_modules/" + (p % 10 == 0 ? "@scope" + p + "/" : "") + "npm" + p;
                tar.file(folder + "/package.json", ("{\"name\":\"npm" + p + "\",\"version\":\"1.0." + p + "\"}").getBytes(StandardCharsets.UTF_8));
                for (int f = 0; f < 9; f++) {
                    tar.file(folder + "/lib/f" + f + ".js", randomBytes(4 * 1024));
                }
            }
            String site = "usr/local/lib/python3.11/site-packages/";
            for (int d = 0; d < 200; d++) {
                String name = "dist" + d;
                StringBuilder record = new StringBuilder();
                for (int f = 0; f < 29; f++) {
                    String path = name + "/m" + f + ".py";
                    record.append(path).append(",sha256=x,4096\n");
                    tar.file(site + path, randomBytes(4 * 1024));
                }
                tar.file(site + name + "-1.0.dist-info/METADATA", ("Metadata-Version: 2.1\nName: " + name + "\nVersion: 1.0\n").getBytes(StandardCharsets.UTF_8));
                tar.file(site + name + "-1.0.dist-info/RECORD", record.toString().getBytes(StandardCharsets.UTF_8));
            }
            for (int j = 0; j < 150; j++) {
                tar.file("app/lib/lib" + j + "-1.0." + j + ".jar", jar("lib" + j, "1.0." + j));
            }
            for (int e = 0; e < 10; e++) {
                tar.executable("usr/bin/tool" + e, elf(10 * 1024 * 1024, e % 2 == 0));
            }
        }
        return layer;
    }

    private Path data(Path layer)
            throws IOException
    {
        try (Tar tar = new Tar(layer)) {
            tar.file("tmp/cache/.wh.old.bin", new byte[0]);
            tar.file("opt/state/.wh..wh..opq", new byte[0]);
            tar.file("opt/state/b.txt", randomBytes(1024));
            for (int d = 0; d < 40; d++) {
                tar.file("var/data/blob" + d + ".bin", randomBytes(10 * 1024 * 1024));
            }
        }
        return layer;
    }

    private byte[] jar(String artifact, String version)
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("META-INF/maven/com.example/" + artifact + "/pom.properties"));
            zip.write(("groupId=com.example\nartifactId=" + artifact + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
            for (int c = 0; c < 32; c++) {
                byte[] data = randomBytes(64 * 1024);
                ZipEntry entry = new ZipEntry("com/example/" + artifact + "/C" + c + ".class");
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(data);
            }
        }
        return bytes.toByteArray();
    }

    // an x86-64 executable: a text and a data segment, and (if listed) a section table at the end naming .text, .data and .shstrtab
    private byte[] elf(int size, boolean listed)
    {
        byte[] elf = randomBytes(size);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(elf).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int dataOffset = size / 2;
        int names = size - 4 * 64 - 32;
        out.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1).put(7, (byte) 0).putLong(8, 0);
        out.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1).putLong(24, 0x401000).putLong(32, 64)
                .putLong(40, listed ? size - 4 * 64 : 0).putInt(48, 0).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 2)
                .putShort(58, (short) 64).putShort(60, (short) (listed ? 4 : 0)).putShort(62, (short) (listed ? 3 : 0));
        // PT_LOAD r-x, PT_LOAD rw-
        programHeader(out, 64, 5, 0, 0x400000, dataOffset);
        programHeader(out, 64 + 56, 6, dataOffset, 0x400000 + dataOffset + 0x1000, names - dataOffset);
        if (listed) {
            byte[] nameTable = "\0.text\0.data\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
            java.util.Arrays.fill(elf, names, names + 32, (byte) 0);
            System.arraycopy(nameTable, 0, elf, names, nameTable.length);
            int table = size - 4 * 64;
            java.util.Arrays.fill(elf, table, size, (byte) 0);
            sectionHeader(out, table + 64, 1, 1, 6, 0x401000, 0x1000, dataOffset - 0x1000);
            sectionHeader(out, table + 128, 7, 1, 3, 0x400000 + dataOffset + 0x1000, dataOffset, names - dataOffset);
            sectionHeader(out, table + 192, 13, 3, 0, 0, names, nameTable.length);
        }
        return elf;
    }

    private static void programHeader(java.nio.ByteBuffer out, int at, int flags, long offset, long address, long size)
    {
        out.putInt(at, 1).putInt(at + 4, flags).putLong(at + 8, offset).putLong(at + 16, address).putLong(at + 24, address)
                .putLong(at + 32, size).putLong(at + 40, size).putLong(at + 48, 0x1000);
    }

    private static void sectionHeader(java.nio.ByteBuffer out, int at, int name, int type, long flags, long address, long offset, long size)
    {
        out.putInt(at, name).putInt(at + 4, type).putLong(at + 8, flags).putLong(at + 16, address).putLong(at + 24, offset)
                .putLong(at + 32, size).putInt(at + 40, 0).putInt(at + 44, 0).putLong(at + 48, 16).putLong(at + 56, 0);
    }

    private byte[] randomBytes(int size)
    {
        byte[] bytes = new byte[size];
        for (int i = 0; i + 8 <= size; i += 8) {
            long value = random.nextLong();
            for (int b = 0; b < 8; b++) {
                bytes[i + b] = (byte) (value >>> (8 * b));
            }
        }
        return bytes;
    }

    private static String sha256(byte[] bytes)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A minimal ustar writer: regular files only, names under 100 characters. */
    private static final class Tar
            implements AutoCloseable
    {
        private final OutputStream out;

        Tar(Path file)
                throws IOException
        {
            this.out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        }

        void file(String name, byte[] content)
                throws IOException
        {
            header(name, content.length, 0644);
            out.write(content);
            pad(content.length);
        }

        void executable(String name, byte[] content)
                throws IOException
        {
            header(name, content.length, 0755);
            out.write(content);
            pad(content.length);
        }

        void file(String name, Path content)
                throws IOException
        {
            long size = Files.size(content);
            header(name, size, 0644);
            Files.copy(content, out);
            pad(size);
        }

        private void header(String name, long size, int mode)
                throws IOException
        {
            if (name.length() >= 100) {
                throw new IllegalArgumentException("name too long for ustar: " + name);
            }
            byte[] header = new byte[BLOCK];
            put(header, 0, name);
            put(header, 100, String.format("%07o", mode));
            put(header, 108, "0000000");
            put(header, 116, "0000000");
            put(header, 124, String.format("%011o", size));
            put(header, 136, "15000000000");
            header[156] = '0';
            put(header, 257, "ustar");
            header[263] = '0';
            header[264] = '0';
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            long sum = 0;
            for (byte value : header) {
                sum += value & 0xff;
            }
            put(header, 148, String.format("%06o", sum));
            header[154] = 0;
            out.write(header);
        }

        private void pad(long size)
                throws IOException
        {
            int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
            out.write(new byte[padding]);
        }

        private static void put(byte[] header, int offset, String text)
        {
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(bytes, 0, header, offset, bytes.length);
        }

        @Override
        public void close()
                throws IOException
        {
            out.write(new byte[BLOCK * 2]);
            out.close();
        }
    }

    static List<String> describe()
    {
        return new ArrayList<>(List.of("docker save, 3 uncompressed layers", "300 deb, 2000 npm, 200 pypi, 150 jars, 10 ELF executables (5 without section table), 40 data files"));
    }
}
