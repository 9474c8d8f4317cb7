package io.runlight.insights.index;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.Confidence;

import static java.util.Objects.requireNonNull;

/**
 * Which packages of an image own a path: built once per image from its SBOM, then
 * asked for every observed file. Immutable and safe to share between threads.
 *
 * <p>An image can own a million paths, so the index keeps no {@code String} per path. Per
 * file, one byte arena holds its encoded answer (package index and {@link Confidence}, or a
 * side list for the rare file owned by several packages or also covered by a directory rule),
 * its directory id and its name (UTF-8); directory paths (a few thousand) sit in a second
 * arena. The open-addressing table is one {@code int} per slot, keyed on the path's
 * {@link String#hashCode}: the file's arena offset plus, in the bits the offset leaves free,
 * a fingerprint from other hash bits, so a miss rarely touches the arena and the table stays
 * as small as a {@code HashMap}'s bucket array. That comes to about 52 bytes per owned path,
 * the package records the answers keep included.
 *
 * <p>A lookup does not allocate for a canonical path nor for the raw forms events usually
 * carry ({@code /proc/<pid>/root/...}, {@code ... (deleted)}, usrmerge aliases, no leading
 * {@code /}): {@link PathNormalizer#canonicalView} describes the canonical path as a prefix
 * plus a range of the raw string, its hash is computed from those characters, and the
 * bytes are verified in place. A canonical path uses the String's own cached hash code.
 *
 * <p>Claims follow {@link OwnershipRules}. Entries that SBOMs list for directories
 * ({@code /usr}, {@code /usr/lib}, which dozens of packages "own") are dropped: a
 * directory is not a file that runs, and opening one says nothing about a package.
 * Directory rules (npm, Composer, gems, NuGet) own everything strictly below their
 * directory, and the innermost such directory wins. A path matched both exactly and
 * by a directory rule returns the exact owners followed by the directory owners; that
 * combination is resolved when the index is built, so only paths no file entry matches
 * walk the directory rules, in a small table of the rule directories and their ancestors
 * where the walk stops at the first ancestor that leads to no rule.
 */
public final class OwnershipIndex
{
    private static final int NONE = Integer.MIN_VALUE;
    private static final Confidence[] CONFIDENCES = Confidence.values();
    // 31^n for n up to the longest path: the hash of prefix + range is hash(prefix) * 31^|range| + hash(range)
    private static final int[] POWERS_OF_31 = powersOf31(PathNormalizer.MAX_LENGTH + 1);
    private static final int[] PREFIX_HASHES = prefixHashes();

    private final Ownership[] packages;
    // ids of the packages that claim at least one file or directory: only these can be matched by an event
    private final Set<String> claimingPackages;
    private final int entryCount;
    // open addressing on the path's String.hashCode; a slot is 0 (empty) or fingerprint << offsetBits | entry offset
    private final int[] table;
    private final int offsetBits;
    private final int offsetMask;
    // per file, at its offset (never 0): encoded owner (4 bytes), directory id (varint), name length (varint), name (UTF-8)
    private final byte[] entries;
    // per directory id, the offset of its length (varint) and UTF-8 bytes in directoryNames
    private final int[] directoryOffsets;
    private final byte[] directoryNames;
    // whether every stored path is canonical, so a raw path found as is needs no canonical check
    private final boolean keysCanonical;
    // only when the SBOM has directory rules: rule directories and their ancestors, with the rule owner or NONE
    private final RuleTable rules;
    // encoded single owner (package << 2 | confidence) -> its answer; side lists for several owners
    private final List<Ownership>[] singleAnswers;
    private final List<Ownership>[] multipleAnswers;

    private OwnershipIndex(Builder builder)
    {
        this.packages = builder.packages;
        this.claimingPackages = Set.copyOf(builder.claimingPackages);
        this.entryCount = builder.entryCount;
        DirectoryTable dictionary = builder.directories;
        ByteArrayOutputStream directoryBytes = new ByteArrayOutputStream();
        this.directoryOffsets = new int[dictionary.size()];
        for (int id = 0; id < dictionary.size(); id++) {
            directoryOffsets[id] = directoryBytes.size();
            byte[] path = dictionary.path(id).getBytes(StandardCharsets.UTF_8);
            writeVarint(directoryBytes, path.length);
            directoryBytes.write(path, 0, path.length);
        }
        this.directoryNames = directoryBytes.toByteArray();
        ByteArrayOutputStream entryBytes = new ByteArrayOutputStream(builder.nameLength + builder.entryCount * 8 + 1);
        // offset 0 is never an entry, so no slot is 0
        entryBytes.write(0);
        int[] entryOffsets = new int[entryCount];
        for (int entry = 0; entry < entryCount; entry++) {
            int base = entry * Builder.STRIDE;
            entryOffsets[entry] = entryBytes.size();
            int owner = builder.entries[base + 3];
            entryBytes.write(owner >>> 24);
            entryBytes.write(owner >>> 16);
            entryBytes.write(owner >>> 8);
            entryBytes.write(owner);
            writeVarint(entryBytes, builder.entries[base]);
            writeVarint(entryBytes, builder.entries[base + 2]);
            entryBytes.write(builder.names, builder.entries[base + 1], builder.entries[base + 2]);
        }
        this.entries = entryBytes.toByteArray();
        this.offsetBits = 32 - Integer.numberOfLeadingZeros(entries.length);
        this.offsetMask = (int) ((1L << offsetBits) - 1);
        this.table = new int[tableSize(entryCount)];
        int mask = table.length - 1;
        for (int entry = 0; entry < entryCount; entry++) {
            int hash = builder.entryHash[entry];
            int slot = spread(hash) & mask;
            while (table[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            table[slot] = fingerprint(hash) << offsetBits | entryOffsets[entry];
        }
        this.keysCanonical = builder.keysCanonical;
        this.rules = builder.ruleTable;
        this.singleAnswers = builder.singleAnswers;
        this.multipleAnswers = builder.multipleAnswers;
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
        boolean probed = false;
        if (PathNormalizer.mayBeCanonical(observedPath)) {
            // most events name a canonical path: try it as is before scanning it; only canonical paths are stored
            int owner = findFile(observedPath.hashCode(), "", observedPath, 0, observedPath.length());
            if (owner != NONE && (keysCanonical || PathNormalizer.isCanonical(observedPath))) {
                return answer(owner);
            }
            probed = owner == NONE;
        }
        long view = PathNormalizer.canonicalView(observedPath);
        String text = observedPath;
        String prefix = "";
        int start = 0;
        int end = observedPath.length();
        if (view == PathNormalizer.NO_VIEW) {
            text = PathNormalizer.tryNormalize(observedPath).orElse(null);
            if (text == null) {
                return List.of();
            }
            end = text.length();
        }
        else {
            prefix = PathNormalizer.viewPrefixText(view);
            start = PathNormalizer.viewStart(view);
            end = PathNormalizer.viewEnd(view);
        }
        if (prefix.length() + end - start <= 1) {
            return List.of();
        }
        boolean whole = prefix.isEmpty() && start == 0 && end == text.length();
        if (!(whole && probed && text == observedPath)) {
            int hash = whole ? text.hashCode() : PREFIX_HASHES[prefix.length()] * POWERS_OF_31[end - start] + hashOf(text, start, end);
            int owner = findFile(hash, prefix, text, start, end);
            if (owner != NONE) {
                return answer(owner);
            }
        }
        if (rules == null) {
            return List.of();
        }
        return answer(rules.innermostOwner(prefix, text, start, end));
    }

    /** How many distinct file paths the index holds (directory rules not counted). */
    public int size()
    {
        return entryCount;
    }

    /**
     * Whether any observed path can ever be attributed to package {@code packageId}: the SBOM
     * gave it files, locations or a directory rule. A package without any (most packages of a
     * Trivy report) can be seen in use only through another package, so never seeing it says
     * nothing: its verdict stays unknown.
     */
    public boolean canMatch(String packageId)
    {
        requireNonNull(packageId, "packageId is null");
        return claimingPackages.contains(packageId);
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

    // the file prefix + text[start, end) whose String hash code is hash: its encoded owner, or NONE
    private int findFile(int hash, String prefix, String text, int start, int end)
    {
        int fingerprint = fingerprint(hash);
        int mask = table.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            int value = table[slot];
            if (value == 0) {
                return NONE;
            }
            if (value >>> offsetBits == fingerprint && matches(value & offsetMask, prefix, text, start, end)) {
                int entry = value & offsetMask;
                return (entries[entry] & 0xff) << 24 | (entries[entry + 1] & 0xff) << 16 | (entries[entry + 2] & 0xff) << 8 | (entries[entry + 3] & 0xff);
            }
        }
    }

    // the fingerprint bits left beside an entry offset in a slot, from other bits of the hash than the slot's
    private int fingerprint(int hash)
    {
        return offsetBits == 32 ? 0 : (hash * 0x85EBCA6B) >>> offsetBits;
    }

    // whether the entry's directory + "/" + name is prefix + text[start, end); in place for ASCII paths, as UTF-8 bytes otherwise
    private boolean matches(int entry, String prefix, String text, int start, int end)
    {
        int position = entry + 4;
        int directory = readVarint(entries, position);
        position += varintSize(directory);
        int nameLength = readVarint(entries, position);
        int nameFrom = position + varintSize(nameLength);
        int directoryOffset = directoryOffsets[directory];
        int directoryLength = readVarint(directoryNames, directoryOffset);
        int directoryFrom = directoryOffset + varintSize(directoryLength);
        int length = prefix.length() + end - start;
        // a char never equals a stored byte of a multi-byte UTF-8 sequence (those are negative), so a mismatch may be non-ASCII
        if (directoryLength + 1 + nameLength == length
                && regionEquals(entries, nameFrom, nameLength, prefix, text, start, directoryLength + 1)
                && charAt(prefix, text, start, directoryLength) == '/'
                && regionEquals(directoryNames, directoryFrom, directoryLength, prefix, text, start, 0)) {
            return true;
        }
        if (isAscii(prefix) && isAscii(text, start, end)) {
            // then the comparison above was exact
            return false;
        }
        byte[] bytes = (prefix + text.substring(start, end)).getBytes(StandardCharsets.UTF_8);
        return bytes.length == directoryLength + 1 + nameLength
                && Arrays.equals(bytes, 0, directoryLength, directoryNames, directoryFrom, directoryFrom + directoryLength)
                && bytes[directoryLength] == '/'
                && Arrays.equals(bytes, directoryLength + 1, bytes.length, entries, nameFrom, nameFrom + nameLength);
    }

    // whether arena[from, from + length) equals the characters [offset, offset + length) of prefix + text[start..]
    static boolean regionEquals(byte[] arena, int from, int length, String prefix, String text, int start, int offset)
    {
        int i = 0;
        int prefixLength = prefix.length();
        for (; i < length && offset + i < prefixLength; i++) {
            if (arena[from + i] != prefix.charAt(offset + i)) {
                return false;
            }
        }
        int textIndex = start + offset + i - prefixLength;
        int arenaIndex = from + i;
        int remaining = length - i;
        // four characters per step and one branch: most compared paths are equal
        int quads = remaining & ~3;
        for (int k = 0; k < quads; k += 4) {
            int difference = (arena[arenaIndex + k] ^ text.charAt(textIndex + k))
                    | (arena[arenaIndex + k + 1] ^ text.charAt(textIndex + k + 1))
                    | (arena[arenaIndex + k + 2] ^ text.charAt(textIndex + k + 2))
                    | (arena[arenaIndex + k + 3] ^ text.charAt(textIndex + k + 3));
            if (difference != 0) {
                return false;
            }
        }
        for (int k = quads; k < remaining; k++) {
            if (arena[arenaIndex + k] != text.charAt(textIndex + k)) {
                return false;
            }
        }
        return true;
    }

    private static char charAt(String prefix, String text, int start, int index)
    {
        return index < prefix.length() ? prefix.charAt(index) : text.charAt(start + index - prefix.length());
    }

    private static boolean isAscii(String text)
    {
        return isAscii(text, 0, text.length());
    }

    private static boolean isAscii(String text, int start, int end)
    {
        for (int i = start; i < end; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    // String.hashCode of text[start, end), in four independent lanes so the multiplications overlap
    static int hashOf(String text, int start, int end)
    {
        int lane0 = 0;
        int lane1 = 0;
        int lane2 = 0;
        int lane3 = 0;
        int i = start;
        for (; i + 3 < end; i += 4) {
            lane0 = lane0 * 923521 + text.charAt(i);
            lane1 = lane1 * 923521 + text.charAt(i + 1);
            lane2 = lane2 * 923521 + text.charAt(i + 2);
            lane3 = lane3 * 923521 + text.charAt(i + 3);
        }
        int hash = lane0 * 29791 + lane1 * 961 + lane2 * 31 + lane3;
        for (; i < end; i++) {
            hash = 31 * hash + text.charAt(i);
        }
        return hash;
    }

    private static int[] powersOf31(int count)
    {
        int[] powers = new int[count];
        int power = 1;
        for (int i = 0; i < count; i++) {
            powers[i] = power;
            power *= 31;
        }
        return powers;
    }

    // indexed by prefix length: the view prefixes "", "/", "/usr", "/usr/" differ in length
    private static int[] prefixHashes()
    {
        int[] hashes = new int[8];
        for (int kind = 0; kind < PathNormalizer.VIEW_PREFIX_KINDS; kind++) {
            String prefix = PathNormalizer.viewPrefixText(PathNormalizer.prefixOnlyView(kind));
            hashes[prefix.length()] = prefix.hashCode();
        }
        return hashes;
    }

    // unsigned LEB128: 7 bits a byte, low bits first
    private static int readVarint(byte[] bytes, int offset)
    {
        int value = 0;
        int shift = 0;
        int position = offset;
        byte current;
        do {
            current = bytes[position++];
            value |= (current & 0x7f) << shift;
            shift += 7;
        }
        while (current < 0);
        return value;
    }

    private static int varintSize(int value)
    {
        int size = 1;
        int rest = value >>> 7;
        while (rest != 0) {
            size++;
            rest >>>= 7;
        }
        return size;
    }

    private static void writeVarint(ByteArrayOutputStream out, int value)
    {
        int rest = value;
        while ((rest & ~0x7f) != 0) {
            out.write((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        out.write(rest);
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

    /**
     * The directories that carry a directory rule and all their ancestors (not the root), each
     * with its rule owner or NONE. An ancestor of a path that is not in the table cannot lead to
     * a rule, so the walk down a path stops there: most paths stop at their first segment.
     */
    private static final class RuleTable
    {
        private final String[] paths;
        private final int[] hashes;
        private final int[] owners;
        private final int[] slots;

        RuleTable(Map<String, Integer> ruleOwners)
        {
            Map<String, Integer> all = new HashMap<>();
            for (Map.Entry<String, Integer> rule : ruleOwners.entrySet()) {
                String path = rule.getKey();
                for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
                    all.putIfAbsent(path.substring(0, slash), NONE);
                }
                all.put(path, rule.getValue());
            }
            // sorted, so the same SBOM always gives the same table
            List<String> sorted = new ArrayList<>(all.keySet());
            sorted.sort(null);
            paths = sorted.toArray(new String[0]);
            hashes = new int[paths.length];
            owners = new int[paths.length];
            slots = new int[tableSize(paths.length) * 2];
            int mask = slots.length - 1;
            for (int id = 0; id < paths.length; id++) {
                hashes[id] = paths[id].hashCode();
                owners[id] = all.get(paths[id]);
                int slot = spread(hashes[id]) & mask;
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = id + 1;
            }
        }

        /** The owner of the innermost rule directory that is a proper ancestor of prefix + text[start, end), or NONE. */
        int innermostOwner(String prefix, String text, int start, int end)
        {
            int owner = NONE;
            int prefixLength = prefix.length();
            int length = prefixLength + end - start;
            int hash = 0;
            for (int i = 0; i < length; i++) {
                char c = i < prefixLength ? prefix.charAt(i) : text.charAt(start + i - prefixLength);
                if (c == '/' && i > 0) {
                    int id = find(hash, i, prefix, text, start);
                    if (id < 0) {
                        return owner;
                    }
                    if (owners[id] != NONE) {
                        owner = owners[id];
                    }
                }
                hash = 31 * hash + c;
            }
            return owner;
        }

        // the id of the directory equal to the first length characters of prefix + text[start..], or -1
        private int find(int hash, int length, String prefix, String text, int start)
        {
            int mask = slots.length - 1;
            for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
                int id = slots[slot] - 1;
                if (id < 0) {
                    return -1;
                }
                String candidate = paths[id];
                if (hashes[id] == hash && candidate.length() == length && startsWith(candidate, prefix, text, start)) {
                    return id;
                }
            }
        }

        // whether candidate is the first candidate.length() characters of prefix + text[start..]
        private static boolean startsWith(String candidate, String prefix, String text, int start)
        {
            int fromPrefix = Math.min(prefix.length(), candidate.length());
            return candidate.regionMatches(0, prefix, 0, fromPrefix)
                    && candidate.regionMatches(fromPrefix, text, start + fromPrefix - prefix.length(), candidate.length() - fromPrefix);
        }
    }

    /** Collects claims in three passes: parent directories, files (dropping directories), directory rules. */
    private static final class Builder
    {
        // per file while building: directory id, name offset and length in names, encoded owner
        static final int STRIDE = 4;

        private final Ownership[] packages;
        private final Set<String> claimingPackages = new HashSet<>();
        private final DirectoryTable directories = new DirectoryTable();
        private int[] entries = new int[1024 * STRIDE];
        private int[] entryHash = new int[1024];
        private byte[] names = new byte[16 * 1024];
        private int nameLength;
        private int entryCount;
        private int[] buildSlots = new int[2048];
        private final List<int[]> ownerLists = new ArrayList<>();
        private final Map<String, Integer> ruleOwners = new HashMap<>();
        private boolean keysCanonical = true;
        private RuleTable ruleTable;
        private List<Ownership>[] singleAnswers;
        private List<Ownership>[] multipleAnswers;

        Builder(List<SbomPackage> sbomPackages)
        {
            packages = new Ownership[sbomPackages.size()];
            List<List<Claim>> claims = new ArrayList<>(sbomPackages.size());
            for (int index = 0; index < sbomPackages.size(); index++) {
                SbomPackage sbomPackage = sbomPackages.get(index);
                packages[index] = new Ownership(sbomPackage.id(), sbomPackage.pkg(), Confidence.FILE);
                List<Claim> packageClaims = collect(sbomPackage);
                if (!packageClaims.isEmpty()) {
                    claimingPackages.add(sbomPackage.id());
                }
                claims.add(packageClaims);
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
                        ruleOwners.merge(claim.path(), encode(index, claim.confidence()), this::mergeOwner);
                    }
                }
            }
            directories.trim();
            singleAnswers = singleAnswers();
            multipleAnswers = multipleAnswers();
            if (!ruleOwners.isEmpty()) {
                ruleTable = new RuleTable(ruleOwners);
                combineWithRules(fileDirectories);
            }
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
            if (keysCanonical && !PathNormalizer.isCanonical(path)) {
                keysCanonical = false;
            }
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

        // a file also below a rule directory answers its exact owners, then the rule's owners not among them
        @SuppressWarnings({"unchecked", "rawtypes"})
        private void combineWithRules(int fileDirectories)
        {
            int[] directoryRule = new int[fileDirectories];
            for (int id = 0; id < fileDirectories; id++) {
                // the directory itself counts: it is a proper ancestor of its files
                String directory = directories.path(id);
                directoryRule[id] = ruleTable.innermostOwner("", directory + "/", 0, directory.length() + 1);
            }
            Map<Long, Integer> combinedCodes = new HashMap<>();
            List<List<Ownership>> combined = new ArrayList<>(Arrays.asList(multipleAnswers));
            for (int entry = 0; entry < entryCount; entry++) {
                int base = entry * STRIDE;
                int ruleOwner = directoryRule[entries[base]];
                if (ruleOwner == NONE) {
                    continue;
                }
                int fileOwner = entries[base + 3];
                long key = (long) fileOwner << 32 | (ruleOwner & 0xffffffffL);
                Integer code = combinedCodes.get(key);
                if (code == null) {
                    List<Ownership> owners = new ArrayList<>(answerOf(fileOwner));
                    for (Ownership owner : answerOf(ruleOwner)) {
                        if (owners.stream().noneMatch(existing -> existing.packageId().equals(owner.packageId()))) {
                            owners.add(owner);
                        }
                    }
                    if (owners.size() == answerOf(fileOwner).size()) {
                        code = fileOwner;
                    }
                    else {
                        combined.add(List.copyOf(owners));
                        code = -combined.size();
                    }
                    combinedCodes.put(key, code);
                }
                entries[base + 3] = code;
            }
            multipleAnswers = combined.toArray(new List[0]);
        }

        private List<Ownership> answerOf(int owner)
        {
            return owner >= 0 ? singleAnswers[owner] : multipleAnswers[-owner - 1];
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

        @SuppressWarnings({"unchecked", "rawtypes"})
        private List<Ownership>[] singleAnswers()
        {
            List<Ownership>[] answers = new List[packages.length * 4];
            for (int entry = 0; entry < entryCount; entry++) {
                fillSingle(answers, entries[entry * STRIDE + 3]);
            }
            for (int owner : ruleOwners.values()) {
                fillSingle(answers, owner);
            }
            return answers;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private List<Ownership>[] multipleAnswers()
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
