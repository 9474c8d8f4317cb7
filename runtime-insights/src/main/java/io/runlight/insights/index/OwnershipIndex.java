package io.runlight.insights.index;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.Confidence;

import static java.util.Objects.requireNonNull;

/**
 * Which packages of an image own a path: built once per image from its SBOM, then
 * asked for every observed file. Immutable and safe to share between threads.
 *
 * <p>An image can own a million paths, so the index keeps no {@code String} per path:
 * directory paths (a few thousand) and file names are kept as length-prefixed UTF-8 bytes
 * in two arenas, and one open-addressing {@code int[]} table holds, per file, four ints
 * in one cache line: the full path's {@link String#hashCode}, the offsets of its directory
 * and name, and its encoded owner (package index and {@link Confidence}, or a side list
 * for the rare file owned by several packages). That comes to roughly 60 bytes per owned
 * path. A lookup of a canonical path uses the String's own cached hash code, verifies the
 * bytes in place and returns a cached answer: it does not allocate.
 *
 * <p>Claims follow {@link OwnershipRules}. Entries that SBOMs list for directories
 * ({@code /usr}, {@code /usr/lib}, which dozens of packages "own") are dropped: a
 * directory is not a file that runs, and opening one says nothing about a package.
 * Directory rules (npm, Composer, gems, NuGet) own everything strictly below their
 * directory, and the innermost such directory wins. A path matched both exactly and
 * by a directory rule returns the exact owners followed by the directory owners.
 */
public final class OwnershipIndex
{
    private static final int NONE = Integer.MIN_VALUE;
    private static final Confidence[] CONFIDENCES = Confidence.values();
    // one slot of the open-addressing table: full path hash, directory offset + 1 (0 = empty slot), name offset, encoded owner
    private static final int STRIDE = 4;

    private final Ownership[] packages;
    private final int entryCount;
    private final int[] table;
    // names and directory paths as UTF-8 bytes, each behind a one- or two-byte length
    private final byte[] names;
    private final byte[] directoryNames;
    // only when the SBOM has directory rules: the directory dictionary, and per directory id its rule owner or NONE
    private final DirectoryTable directories;
    private final int[] directoryOwner;
    // encoded single owner (package << 2 | confidence) -> its answer; side lists for several owners
    private final List<Ownership>[] singleAnswers;
    private final List<Ownership>[] multipleAnswers;

    private OwnershipIndex(Builder builder)
    {
        this.packages = builder.packages;
        this.entryCount = builder.entryCount;
        DirectoryTable dictionary = builder.directories;
        ByteArrayOutputStream directoryBytes = new ByteArrayOutputStream();
        int[] directoryOffset = new int[dictionary.size()];
        for (int id = 0; id < dictionary.size(); id++) {
            directoryOffset[id] = directoryBytes.size();
            writeWithLength(directoryBytes, dictionary.path(id).getBytes(StandardCharsets.UTF_8), 0, -1);
        }
        this.directoryNames = directoryBytes.toByteArray();
        ByteArrayOutputStream nameBytes = new ByteArrayOutputStream(builder.nameLength + builder.entryCount);
        this.table = new int[tableSize(entryCount) * STRIDE];
        int mask = table.length / STRIDE - 1;
        for (int entry = 0; entry < entryCount; entry++) {
            int base = entry * STRIDE;
            int nameOffset = nameBytes.size();
            writeWithLength(nameBytes, builder.names, builder.entries[base + 1], builder.entries[base + 2]);
            int hash = builder.entryHash[entry];
            int slot = spread(hash) & mask;
            while (table[slot * STRIDE + 1] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot * STRIDE] = hash;
            table[slot * STRIDE + 1] = directoryOffset[builder.entries[base]] + 1;
            table[slot * STRIDE + 2] = nameOffset;
            table[slot * STRIDE + 3] = builder.entries[base + 3];
        }
        this.names = nameBytes.toByteArray();
        this.directories = builder.hasDirectoryRules ? dictionary : null;
        this.directoryOwner = builder.hasDirectoryRules ? builder.directoryOwners(dictionary.size()) : null;
        this.singleAnswers = builder.singleAnswers();
        this.multipleAnswers = builder.multipleAnswers();
    }

    /** Builds the index of an SBOM's packages. */
    public static OwnershipIndex of(Sbom sbom)
    {
        requireNonNull(sbom, "sbom is null");
        return new OwnershipIndex(new Builder(sbom.packages()));
    }

    /**
     * The packages that own {@code observedPath}, strongest claim per package; empty when
     * no package does or when the path is not acceptable ({@link PathNormalizer} rejects it).
     * The path may be in any form {@link PathNormalizer} accepts.
     */
    public List<Ownership> lookup(String observedPath)
    {
        requireNonNull(observedPath, "observedPath is null");
        String path = observedPath;
        if (!PathNormalizer.isCanonical(path)) {
            path = PathNormalizer.tryNormalize(path).orElse(null);
            if (path == null) {
                return List.of();
            }
        }
        if (path.length() <= 1) {
            return List.of();
        }
        int fileOwner = findFile(path);
        if (directoryOwner == null) {
            return answer(fileOwner);
        }
        int ruleOwner = findRuleOwner(path);
        if (ruleOwner == NONE) {
            return answer(fileOwner);
        }
        if (fileOwner == NONE) {
            return answer(ruleOwner);
        }
        List<Ownership> combined = new ArrayList<>(answer(fileOwner));
        for (Ownership owner : answer(ruleOwner)) {
            if (combined.stream().noneMatch(existing -> existing.packageId().equals(owner.packageId()))) {
                combined.add(owner);
            }
        }
        return List.copyOf(combined);
    }

    /** How many distinct file paths the index holds (directory rules not counted). */
    public int size()
    {
        return entryCount;
    }

    /** How many packages the index was built from. */
    public int packageCount()
    {
        return packages.length;
    }

    private List<Ownership> answer(int owner)
    {
        if (owner == NONE) {
            return List.of();
        }
        if (owner >= 0) {
            return singleAnswers[owner];
        }
        return multipleAnswers[-owner - 1];
    }

    // the innermost proper ancestor directory of path that has a directory rule
    private int findRuleOwner(String path)
    {
        int ruleOwner = NONE;
        int hash = 0;
        int length = path.length();
        for (int i = 0; i < length; i++) {
            char c = path.charAt(i);
            if (c == '/' && i > 0) {
                int directory = directories.find(path, i, hash);
                if (directory >= 0 && directoryOwner[directory] != NONE) {
                    ruleOwner = directoryOwner[directory];
                }
            }
            hash = 31 * hash + c;
        }
        return ruleOwner;
    }

    // the String's own (cached) hash code is the key: a canonical path passed twice is hashed once
    private int findFile(String path)
    {
        int hash = path.hashCode();
        int mask = table.length / STRIDE - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            int base = slot * STRIDE;
            int directory = table[base + 1];
            if (directory == 0) {
                return NONE;
            }
            if (table[base] == hash && matches(directory - 1, table[base + 2], path)) {
                return table[base + 3];
            }
        }
    }

    // whether directory + "/" + name is path; one pass for ASCII paths, UTF-8 bytes otherwise
    private boolean matches(int directoryOffset, int nameOffset, String path)
    {
        int directoryLength = storedLength(directoryNames, directoryOffset);
        int directoryFrom = directoryOffset + (directoryLength < 0x80 ? 1 : 2);
        int nameLength = storedLength(names, nameOffset);
        int nameFrom = nameOffset + (nameLength < 0x80 ? 1 : 2);
        int length = path.length();
        if (directoryLength + 1 + nameLength == length) {
            boolean ascii = true;
            for (int i = 0; i < length && ascii; i++) {
                char c = path.charAt(i);
                if (c >= 0x80) {
                    ascii = false;
                }
                else {
                    byte stored;
                    if (i < directoryLength) {
                        stored = directoryNames[directoryFrom + i];
                    }
                    else if (i == directoryLength) {
                        stored = '/';
                    }
                    else {
                        stored = names[nameFrom + i - directoryLength - 1];
                    }
                    if (stored != c) {
                        return false;
                    }
                }
            }
            if (ascii) {
                return true;
            }
        }
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        return bytes.length == directoryLength + 1 + nameLength
                && Arrays.equals(bytes, 0, directoryLength, directoryNames, directoryFrom, directoryFrom + directoryLength)
                && bytes[directoryLength] == '/'
                && Arrays.equals(bytes, directoryLength + 1, bytes.length, names, nameFrom, nameFrom + nameLength);
    }

    // lengths below 128 take one byte, longer ones (paths are at most 4096 characters, so below 2^14 bytes) two
    private static int storedLength(byte[] arena, int offset)
    {
        int first = arena[offset] & 0xff;
        if (first < 0x80) {
            return first;
        }
        return (first & 0x7f) | (arena[offset + 1] & 0xff) << 7;
    }

    private static void writeWithLength(ByteArrayOutputStream out, byte[] bytes, int from, int length)
    {
        int count = length < 0 ? bytes.length : length;
        if (count < 0x80) {
            out.write(count);
        }
        else {
            out.write(0x80 | (count & 0x7f));
            out.write(count >>> 7);
        }
        out.write(bytes, from, count);
    }

    private static int spread(int hash)
    {
        int mixed = hash * 0x9E3779B9;
        return mixed ^ (mixed >>> 16);
    }

    // load factor between 3/8 and 3/4
    private static int tableSize(int count)
    {
        int wanted = Math.max(4, count + count / 3 + 1);
        return Integer.highestOneBit(wanted - 1) << 1;
    }

    private static int encode(int packageIndex, Confidence confidence)
    {
        return packageIndex << 2 | confidence.ordinal();
    }

    /** Directory paths (without trailing slash; the root is {@code ""}) interned in an open-addressing table. */
    private static final class DirectoryTable
    {
        private String[] paths = new String[64];
        private int[] slots = new int[128];
        private int size;

        int size()
        {
            return size;
        }

        String path(int id)
        {
            return paths[id];
        }

        /** The id of the directory {@code path[0, end)} whose {@link String#hashCode} is {@code hash}, or -1. */
        int find(String path, int end, int hash)
        {
            int mask = slots.length - 1;
            for (int slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
                int id = slots[slot] - 1;
                if (id < 0) {
                    return -1;
                }
                String candidate = paths[id];
                if (candidate.length() == end && candidate.hashCode() == hash && path.regionMatches(0, candidate, 0, end)) {
                    return id;
                }
            }
        }

        int intern(String directory)
        {
            int existing = find(directory, directory.length(), directory.hashCode());
            if (existing >= 0) {
                return existing;
            }
            if (size == paths.length) {
                paths = Arrays.copyOf(paths, size * 2);
            }
            paths[size] = directory;
            size++;
            if (size * 2 > slots.length) {
                rehash(slots.length * 2);
            }
            else {
                insertSlot(size - 1);
            }
            return size - 1;
        }

        void trim()
        {
            paths = Arrays.copyOf(paths, size);
            rehash(tableSize(size));
        }

        private void rehash(int capacity)
        {
            slots = new int[capacity];
            for (int id = 0; id < size; id++) {
                insertSlot(id);
            }
        }

        private void insertSlot(int id)
        {
            int mask = slots.length - 1;
            int slot = mix(paths[id].hashCode()) & mask;
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            slots[slot] = id + 1;
        }

        private static int mix(int hash)
        {
            int mixed = hash * 0x9E3779B9;
            return mixed ^ (mixed >>> 16);
        }
    }

    /** Collects claims in three passes: parent directories, files (dropping directories), directory rules. */
    private static final class Builder
    {
        private final Ownership[] packages;
        private final DirectoryTable directories = new DirectoryTable();
        private int[] entries = new int[1024 * STRIDE];
        private int[] entryHash = new int[1024];
        private byte[] names = new byte[16 * 1024];
        private int nameLength;
        private int entryCount;
        private int[] buildSlots = new int[2048];
        private final List<int[]> ownerLists = new ArrayList<>();
        private int[] directoryOwner = new int[0];
        private boolean hasDirectoryRules;

        Builder(List<SbomPackage> sbomPackages)
        {
            packages = new Ownership[sbomPackages.size()];
            List<List<Claim>> claims = new ArrayList<>(sbomPackages.size());
            for (int index = 0; index < sbomPackages.size(); index++) {
                SbomPackage sbomPackage = sbomPackages.get(index);
                packages[index] = new Ownership(sbomPackage.id(), sbomPackage.pkg(), Confidence.FILE);
                claims.add(collect(sbomPackage));
            }
            // pass 1: every directory that holds a claimed file
            for (List<Claim> packageClaims : claims) {
                for (Claim claim : packageClaims) {
                    if (!claim.directory()) {
                        directories.intern(parentOf(claim.path()));
                    }
                }
            }
            int fileDirectories = directories.size();
            // pass 2: files, except paths that are themselves directories of claimed files
            for (int index = 0; index < claims.size(); index++) {
                for (Claim claim : claims.get(index)) {
                    if (!claim.directory() && !isFileDirectory(claim.path(), fileDirectories)) {
                        addFile(claim.path(), encode(index, claim.confidence()));
                    }
                }
            }
            // pass 3: directory rules
            for (int index = 0; index < claims.size(); index++) {
                for (Claim claim : claims.get(index)) {
                    if (claim.directory()) {
                        addDirectoryRule(claim.path(), encode(index, claim.confidence()));
                    }
                }
            }
            directories.trim();
        }

        private static List<Claim> collect(SbomPackage sbomPackage)
        {
            List<Claim> claims = new ArrayList<>(sbomPackage.ownedFiles().size() + sbomPackage.locations().size() + 1);
            OwnershipRules.claims(sbomPackage, new OwnershipRules.ClaimSink()
            {
                @Override
                public void file(String path, Confidence confidence)
                {
                    PathNormalizer.tryNormalize(path)
                            .filter(normalized -> normalized.length() > 1)
                            .ifPresent(normalized -> claims.add(new Claim(normalized, confidence, false)));
                }

                @Override
                public void directory(String path, Confidence confidence)
                {
                    PathNormalizer.tryNormalize(path)
                            .filter(normalized -> normalized.length() > 1)
                            .ifPresent(normalized -> claims.add(new Claim(normalized, confidence, true)));
                }
            });
            return claims;
        }

        private boolean isFileDirectory(String path, int fileDirectories)
        {
            int id = directories.find(path, path.length(), path.hashCode());
            return id >= 0 && id < fileDirectories;
        }

        private void addFile(String path, int owner)
        {
            int slash = path.lastIndexOf('/');
            int directory = directories.intern(parentOf(path));
            byte[] name = path.substring(slash + 1).getBytes(StandardCharsets.UTF_8);
            int hash = path.hashCode();
            int mask = buildSlots.length - 1;
            int slot = spread(hash) & mask;
            while (buildSlots[slot] != 0) {
                int entry = buildSlots[slot] - 1;
                int base = entry * STRIDE;
                if (entryHash[entry] == hash && entries[base] == directory
                        && Arrays.equals(names, entries[base + 1], entries[base + 1] + entries[base + 2], name, 0, name.length)) {
                    entries[base + 3] = mergeOwner(entries[base + 3], owner);
                    return;
                }
                slot = (slot + 1) & mask;
            }
            if (entryCount == entryHash.length) {
                entryHash = Arrays.copyOf(entryHash, entryCount * 2);
                entries = Arrays.copyOf(entries, entryCount * 2 * STRIDE);
            }
            if (nameLength + name.length > names.length) {
                names = Arrays.copyOf(names, Math.max(names.length * 2, nameLength + name.length));
            }
            System.arraycopy(name, 0, names, nameLength, name.length);
            int base = entryCount * STRIDE;
            entries[base] = directory;
            entries[base + 1] = nameLength;
            entries[base + 2] = name.length;
            entries[base + 3] = owner;
            nameLength += name.length;
            entryHash[entryCount] = hash;
            buildSlots[slot] = entryCount + 1;
            entryCount++;
            if (entryCount * 2 > buildSlots.length) {
                buildSlots = new int[buildSlots.length * 2];
                int newMask = buildSlots.length - 1;
                for (int entry = 0; entry < entryCount; entry++) {
                    int free = spread(entryHash[entry]) & newMask;
                    while (buildSlots[free] != 0) {
                        free = (free + 1) & newMask;
                    }
                    buildSlots[free] = entry + 1;
                }
            }
        }

        private void addDirectoryRule(String path, int owner)
        {
            hasDirectoryRules = true;
            int directory = directories.intern(path);
            if (directoryOwner.length <= directory) {
                int oldLength = directoryOwner.length;
                directoryOwner = Arrays.copyOf(directoryOwner, Math.max(directories.size(), oldLength * 2));
                Arrays.fill(directoryOwner, oldLength, directoryOwner.length, NONE);
            }
            directoryOwner[directory] = mergeOwner(directoryOwner[directory], owner);
        }

        // one owner stays encoded in place; several go to a side list, one entry per package, strongest claim kept
        private int mergeOwner(int existing, int added)
        {
            if (existing == NONE || existing == added) {
                return existing == NONE ? added : existing;
            }
            if (existing >= 0) {
                if (existing >>> 2 == added >>> 2) {
                    return Math.min(existing, added);
                }
                ownerLists.add(new int[] {existing, added});
                return -ownerLists.size();
            }
            int listIndex = -existing - 1;
            int[] owners = ownerLists.get(listIndex);
            for (int i = 0; i < owners.length; i++) {
                if (owners[i] >>> 2 == added >>> 2) {
                    owners[i] = Math.min(owners[i], added);
                    return existing;
                }
            }
            int[] grown = Arrays.copyOf(owners, owners.length + 1);
            grown[owners.length] = added;
            ownerLists.set(listIndex, grown);
            return existing;
        }

        int[] directoryOwners(int directoryCount)
        {
            int[] owners = new int[directoryCount];
            Arrays.fill(owners, NONE);
            System.arraycopy(directoryOwner, 0, owners, 0, Math.min(directoryCount, directoryOwner.length));
            return owners;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Ownership>[] singleAnswers()
        {
            List<Ownership>[] answers = new List[packages.length * 4];
            for (int entry = 0; entry < entryCount; entry++) {
                fillSingle(answers, entries[entry * STRIDE + 3]);
            }
            for (int owner : directoryOwner) {
                fillSingle(answers, owner);
            }
            return answers;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        List<Ownership>[] multipleAnswers()
        {
            List<Ownership>[] answers = new List[ownerLists.size()];
            for (int i = 0; i < answers.length; i++) {
                List<Ownership> owners = new ArrayList<>();
                for (int owner : ownerLists.get(i)) {
                    owners.add(ownership(owner));
                }
                owners.sort(Comparator.comparing((Ownership owner) -> owner.confidence()).thenComparing(owner -> owner.pkg().purl().toString()));
                answers[i] = List.copyOf(owners);
            }
            return answers;
        }

        private void fillSingle(List<Ownership>[] answers, int owner)
        {
            if (owner >= 0 && answers[owner] == null) {
                answers[owner] = List.of(ownership(owner));
            }
        }

        private Ownership ownership(int owner)
        {
            Ownership base = packages[owner >>> 2];
            return new Ownership(base.packageId(), base.pkg(), CONFIDENCES[owner & 3]);
        }

        private static String parentOf(String path)
        {
            return path.substring(0, path.lastIndexOf('/'));
        }
    }

    private record Claim(String path, Confidence confidence, boolean directory) {}
}
