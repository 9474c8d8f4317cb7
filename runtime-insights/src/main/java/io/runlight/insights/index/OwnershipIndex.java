package io.runlight.insights.index;

import java.io.ByteArrayOutputStream;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.runlight.insights.sbom.Sbom;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.Confidence;

import static java.util.Objects.requireNonNull;

/**
 * Which packages of an image own a path: built once per image from its SBOM, then
 * asked for every observed file. Immutable and safe to share between threads.
 *
 * <p>An image can own a million paths, so the index keeps no {@code String} per path. The
 * files are hashed into buckets on their path's {@link String#hashCode}; one byte arena holds
 * the files of each bucket one after the other: a fingerprint byte from other hash bits (so a
 * lookup skips most files of its bucket unread), the directory's offset, the name (UTF-8) and the
 * encoded answer (package index and {@link Confidence}, or a side list for the rare file owned by
 * several packages or also covered by a directory rule). The directories (tens of thousands)
 * sit as characters in a second arena with their own small hash table. That comes to about 50
 * bytes per owned path, the package records the answers keep included.
 *
 * <p>A lookup does not allocate for a canonical path nor for the raw forms events usually
 * carry ({@code /proc/<pid>/root/...}, {@code ... (deleted)}, usrmerge aliases, no leading
 * {@code /}): {@link PathNormalizer#candidateView} describes the canonical path as a prefix plus
 * a range of the raw string, and its hash code is derived from the raw String's own (cached) one.
 * The path's directory is looked up in the directory table while the file's bucket is fetched,
 * so the two memory accesses overlap; a file then matches on directory offset and name. The
 * range is scanned for {@code //} and dot segments only when nothing matched: every stored path
 * is canonical, so a range equal to one is its canonical form.
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
    // 31^n for n up to the longest canonical path (a normalised path can be "/usr/" longer than its raw form):
    // the hash of prefix + range is hash(prefix) * 31^|range| + hash(range)
    private static final int[] POWERS_OF_31 = powersOf31(PathNormalizer.MAX_LENGTH + 8);
    private static final int[] PREFIX_HASHES = prefixHashes();
    // the inverses modulo 2^32 of those powers (31 is odd): they take a known tail off a hash code
    private static final int[] INVERSE_POWERS_OF_31 = inversesOf(POWERS_OF_31);
    private static final String DELETED_SUFFIX = " (deleted)";
    private static final int DELETED_HASH = DELETED_SUFFIX.hashCode();
    // takes " (deleted)" off the end of a String's hash code
    private static final int INVERSE_OF_31_POW_10 = INVERSE_POWERS_OF_31[DELETED_SUFFIX.length()];
    private static final int INITIAL_SCRATCH_LENGTH = 256;
    /*
     * Per thread, the canonical path of the lookup in progress as chars, so the comparison with a stored
     * directory is one vectorised Arrays.equals instead of a loop of String.charAt. Static rather than per
     * index: a hub holds many indexes and one buffer per thread serves all of them; it only grows, to at most
     * MAX_LENGTH + 5 chars, and a lookup never calls another.
     */
    private static final ThreadLocal<char[]> SCRATCH = ThreadLocal.withInitial(() -> new char[INITIAL_SCRATCH_LENGTH]);

    private final Ownership[] packages;
    // per package with at least one complete claim, the ways its claimed files could be loaded
    private final Map<String, Set<LoadKind>> judgeablePackages;
    private final int entryCount;
    // the files hashed into buckets by their path's String.hashCode: bucket b is entries[bucketStarts[b], bucketStarts[b + 1])
    private final int[] bucketStarts;
    private final int bucketMask;
    // per file, one after the other in bucket order: fingerprint (1 byte, other hash bits than the bucket's),
    // directory offset in directoryChars (directoryWidth bytes, low first), name length << 1 | 1 if the name is not ASCII (varint),
    // encoded owner (4 bytes), name (UTF-8)
    private final byte[] entries;
    private final int directoryWidth;
    // per directory, at its offset: its length, then its characters; the root directory is empty
    private final char[] directoryChars;
    // open addressing on the directory's String.hashCode: 0 (empty) or fingerprint << directoryBits | offset + 1
    private final int[] directorySlots;
    private final int directoryBits;
    // only when the SBOM has directory rules: rule directories and their ancestors, with the rule owner or NONE
    private final RuleTable rules;
    // encoded single owner (package << 2 | confidence) -> its answer; side lists for several owners
    private final List<Ownership>[] singleAnswers;
    private final List<Ownership>[] multipleAnswers;

    private OwnershipIndex(Builder builder)
    {
        this.packages = builder.packages;
        this.judgeablePackages = Map.copyOf(builder.judgeablePackages);
        this.entryCount = builder.entryCount;
        DirectoryTable dictionary = builder.directories;
        int[] directoryOffsets = new int[dictionary.size()];
        int directoryLength = 0;
        for (int id = 0; id < dictionary.size(); id++) {
            directoryLength += 1 + dictionary.path(id).length();
        }
        this.directoryChars = new char[directoryLength];
        int directoryEnd = 0;
        for (int id = 0; id < dictionary.size(); id++) {
            String path = dictionary.path(id);
            directoryOffsets[id] = directoryEnd;
            // a directory is shorter than MAX_LENGTH, so its length fits a char
            directoryChars[directoryEnd] = (char) path.length();
            path.getChars(0, path.length(), directoryChars, directoryEnd + 1);
            directoryEnd += 1 + path.length();
        }
        int buckets = bucketCount(entryCount);
        this.bucketMask = buckets - 1;
        // counting sort of the files by bucket, so each bucket is one run of the arena
        int[] bucketOf = new int[entryCount];
        int[] firstOfBucket = new int[buckets + 1];
        for (int entry = 0; entry < entryCount; entry++) {
            bucketOf[entry] = spread(builder.entryHash[entry]) & bucketMask;
            firstOfBucket[bucketOf[entry] + 1]++;
        }
        for (int bucket = 0; bucket < buckets; bucket++) {
            firstOfBucket[bucket + 1] += firstOfBucket[bucket];
        }
        int[] order = new int[entryCount];
        int[] next = Arrays.copyOf(firstOfBucket, buckets);
        for (int entry = 0; entry < entryCount; entry++) {
            order[next[bucketOf[entry]]++] = entry;
        }
        this.directoryBits = 32 - Integer.numberOfLeadingZeros(directoryChars.length + 1);
        this.directorySlots = new int[tableSize(dictionary.size()) * 2];
        int directoryMask = directorySlots.length - 1;
        for (int id = 0; id < dictionary.size(); id++) {
            int hash = dictionary.path(id).hashCode();
            int slot = spread(hash) & directoryMask;
            while (directorySlots[slot] != 0) {
                slot = (slot + 1) & directoryMask;
            }
            directorySlots[slot] = directoryFingerprint(hash) << directoryBits | (directoryOffsets[id] + 1);
        }
        this.directoryWidth = directoryChars.length < 1 << 24 ? 3 : 4;
        ByteArrayOutputStream entryBytes = new ByteArrayOutputStream(builder.nameLength + builder.entryCount * 10);
        this.bucketStarts = new int[buckets + 1];
        int bucket = 0;
        for (int i = 0; i < entryCount; i++) {
            int entry = order[i];
            while (bucket <= bucketOf[entry]) {
                bucketStarts[bucket++] = entryBytes.size();
            }
            int base = entry * Builder.STRIDE;
            int nameFrom = builder.entries[base + 1];
            int nameLength = builder.entries[base + 2];
            int owner = builder.entries[base + 3];
            entryBytes.write(fingerprint(builder.entryHash[entry]));
            int directory = directoryOffsets[builder.entries[base]];
            for (int shift = 0; shift < 8 * directoryWidth; shift += 8) {
                entryBytes.write(directory >>> shift);
            }
            writeVarint(entryBytes, nameLength << 1 | (isAscii(builder.names, nameFrom, nameLength) ? 0 : 1));
            entryBytes.write(owner >>> 24);
            entryBytes.write(owner >>> 16);
            entryBytes.write(owner >>> 8);
            entryBytes.write(owner);
            entryBytes.write(builder.names, nameFrom, nameLength);
        }
        while (bucket <= buckets) {
            bucketStarts[bucket++] = entryBytes.size();
        }
        this.entries = entryBytes.toByteArray();
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
        long view = PathNormalizer.candidateView(observedPath);
        if (view == PathNormalizer.NO_VIEW) {
            return lookupNormalized(observedPath);
        }
        String prefix = PathNormalizer.viewPrefixText(view);
        int start = PathNormalizer.viewStart(view);
        int end = PathNormalizer.viewEnd(view);
        int prefixLength = prefix.length();
        int rangeLength = end - start;
        int length = prefixLength + rangeLength;
        if (length <= 1) {
            // the root owns nothing
            return List.of();
        }
        char[] path = scratch(length);
        if (prefixLength != 0) {
            prefix.getChars(0, prefixLength, path, 0);
        }
        observedPath.getChars(start, end, path, prefixLength);
        int owner = findFile(viewHash(observedPath, start, end, prefixLength), path, length);
        if (owner != NONE) {
            // every stored path is canonical, so a view equal to one is its canonical form: no need to scan it first
            return answer(owner);
        }
        if (!PathNormalizer.isClean(observedPath, start, end)) {
            // "//", "." or "..": the view is not the canonical form, which can be another, owned, path
            return lookupNormalized(observedPath);
        }
        if (rules == null) {
            return List.of();
        }
        return answer(rules.innermostOwner(path, length));
    }

    // the general way, for the forms a view does not cover: normalise (allocating), then look up the result
    private List<Ownership> lookupNormalized(String observedPath)
    {
        String canonical = PathNormalizer.tryNormalize(observedPath).orElse(null);
        if (canonical == null || canonical.length() <= 1) {
            return List.of();
        }
        int length = canonical.length();
        char[] path = scratch(length);
        canonical.getChars(0, length, path, 0);
        int owner = findFile(canonical.hashCode(), path, length);
        if (owner != NONE) {
            return answer(owner);
        }
        if (rules == null) {
            return List.of();
        }
        return answer(rules.innermostOwner(path, length));
    }

    // String.hashCode of prefix + text[start, end), from the text's own (cached) hash code: only the
    // stripped /proc/<pid>/root prefix is hashed again, a stripped " (deleted)" is taken off arithmetically
    private static int viewHash(String text, int start, int end, int prefixLength)
    {
        int hash = text.hashCode();
        if (end != text.length()) {
            // hash(text) = hash(text[0, end)) * 31^10 + hash(" (deleted)")
            hash = (hash - DELETED_HASH) * INVERSE_OF_31_POW_10;
        }
        int power = POWERS_OF_31[end - start];
        if (start != 0) {
            // hash(text[0, end)) = hash(text[0, start)) * 31^(end - start) + hash(text[start, end))
            hash -= hashOf(text, 0, start) * power;
        }
        return PREFIX_HASHES[prefixLength] * power + hash;
    }

    private static char[] scratch(int length)
    {
        char[] path = SCRATCH.get();
        if (path.length < length) {
            path = new char[Math.max(length, path.length * 2)];
            SCRATCH.set(path);
        }
        return path;
    }

    /** How many distinct file paths the index holds (directory rules not counted). */
    public int size()
    {
        return entryCount;
    }

    /**
     * Whether never seeing package {@code packageId} can mean it did not run: the SBOM gave it a
     * complete claim (owned files, its jar or binary, its package directory; see
     * {@link OwnershipRules}). A package without one (no files at all, or only a manifest)
     * could have run without any observed path being attributed to it: its verdict stays unknown.
     */
    public boolean canMatch(String packageId)
    {
        requireNonNull(packageId, "packageId is null");
        return judgeablePackages.containsKey(packageId);
    }

    /**
     * How the files package {@code packageId} completely claims could be loaded: a sensor must
     * be able to see each of these for the package to be judged not in use. Empty when the
     * package cannot be matched ({@link #canMatch}) or claims only files that cannot run.
     */
    public Set<LoadKind> loadKinds(String packageId)
    {
        requireNonNull(packageId, "packageId is null");
        return judgeablePackages.getOrDefault(packageId, Set.of());
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

    /*
     * The file path[0, length) whose String hash code is hash: its encoded owner, or NONE. The directory
     * of the path is looked up in its own small table while the file's bucket is fetched, so the two
     * memory accesses overlap, and a file is then verified by directory offset and name alone.
     */
    private int findFile(int hash, char[] path, int length)
    {
        int slash = length - 1;
        while (path[slash] != '/') {
            slash--;
        }
        int bucket = spread(hash) & bucketMask;
        int position = bucketStarts[bucket];
        int end = bucketStarts[bucket + 1];
        // hash(path) = hash(directory) * 31^(length - slash) + hash(path[slash, length))
        int directoryHash = (hash - hashOf(path, slash, length)) * INVERSE_POWERS_OF_31[length - slash];
        int directory = findDirectory(directoryHash, path, slash);
        if (directory < 0) {
            return NONE;
        }
        byte fingerprint = (byte) fingerprint(hash);
        int nameLength = length - slash - 1;
        byte[] arena = entries;
        while (position < end) {
            byte stored = arena[position];
            // fixed width, so that no branch waits for the entry's bytes
            int entryDirectory = (arena[position + 1] & 0xff) | (arena[position + 2] & 0xff) << 8 | (arena[position + 3] & 0xff) << 16;
            if (directoryWidth == 4) {
                entryDirectory |= (arena[position + 4] & 0xff) << 24;
            }
            position += 1 + directoryWidth;
            int nameField = 0;
            for (int shift = 0; ; shift += 7) {
                byte part = arena[position++];
                nameField |= (part & 0x7f) << shift;
                if (part >= 0) {
                    break;
                }
            }
            int nameFrom = position + 4;
            if (stored == fingerprint && entryDirectory == directory && nameMatches(nameField, nameFrom, path, slash + 1, nameLength)) {
                return (arena[position] & 0xff) << 24 | (arena[position + 1] & 0xff) << 16 | (arena[position + 2] & 0xff) << 8 | (arena[position + 3] & 0xff);
            }
            position = nameFrom + (nameField >>> 1);
        }
        return NONE;
    }

    // the offset in directoryChars of the directory path[0, length) whose String hash code is hash, or -1
    private int findDirectory(int hash, char[] path, int length)
    {
        int mask = directorySlots.length - 1;
        int fingerprint = directoryFingerprint(hash);
        int offsetMask = (int) ((1L << directoryBits) - 1);
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            int value = directorySlots[slot];
            if (value == 0) {
                return -1;
            }
            int directory = (value & offsetMask) - 1;
            if (value >>> directoryBits == fingerprint && directoryChars[directory] == length
                    && Arrays.equals(path, 0, length, directoryChars, directory + 1, directory + 1 + length)) {
                return directory;
            }
        }
    }

    // 8 bits of the hash other than the bucket's, stored before each file so most files of a bucket are skipped unread
    private static int fingerprint(int hash)
    {
        return (hash * 0x85EBCA6B) >>> 24;
    }

    // the bits a directory slot has left beside the offset, from other hash bits than the slot's
    private int directoryFingerprint(int hash)
    {
        return directoryBits >= 32 ? 0 : (hash * 0x85EBCA6B) >>> directoryBits;
    }

    // whether the stored name at nameFrom (length and ASCII flag in nameField) is path[from, from + length)
    private boolean nameMatches(int nameField, int nameFrom, char[] path, int from, int length)
    {
        if ((nameField & 1) != 0) {
            String name = new String(entries, nameFrom, nameField >>> 1, StandardCharsets.UTF_8);
            return name.length() == length && name.contentEquals(CharBuffer.wrap(path, from, length));
        }
        if (nameField >>> 1 != length) {
            return false;
        }
        // an ASCII name: a stored byte equals a char only if they are the same character
        for (int i = 0; i < length; i++) {
            if (path[from + i] != entries[nameFrom + i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(byte[] bytes, int from, int length)
    {
        for (int i = from; i < from + length; i++) {
            if (bytes[i] < 0) {
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

    // String.hashCode of the characters path[start, end), in four lanes as hashOf(String, int, int)
    private static int hashOf(char[] path, int start, int end)
    {
        int lane0 = 0;
        int lane1 = 0;
        int lane2 = 0;
        int lane3 = 0;
        int i = start;
        for (; i + 3 < end; i += 4) {
            lane0 = lane0 * 923521 + path[i];
            lane1 = lane1 * 923521 + path[i + 1];
            lane2 = lane2 * 923521 + path[i + 2];
            lane3 = lane3 * 923521 + path[i + 3];
        }
        int hash = lane0 * 29791 + lane1 * 961 + lane2 * 31 + lane3;
        for (; i < end; i++) {
            hash = 31 * hash + path[i];
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

    private static int[] inversesOf(int[] odd)
    {
        int[] inverses = new int[odd.length];
        for (int i = 0; i < odd.length; i++) {
            inverses[i] = inverseOf(odd[i]);
        }
        return inverses;
    }

    // the inverse of an odd number modulo 2^32, by Newton's iteration (each step doubles the correct low bits)
    private static int inverseOf(int odd)
    {
        int inverse = odd;
        for (int i = 0; i < 5; i++) {
            inverse *= 2 - odd * inverse;
        }
        return inverse;
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

    // a power of two, so that a bucket holds 1.5 to 3 files on average
    private static int bucketCount(int files)
    {
        return Integer.highestOneBit(Math.max(1, files / 3 * 2));
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

        /** The owner of the innermost rule directory that is a proper ancestor of path[0, length), or NONE. */
        int innermostOwner(char[] path, int length)
        {
            int owner = NONE;
            int hash = 0;
            for (int i = 0; i < length; i++) {
                char c = path[i];
                if (c == '/' && i > 0) {
                    int id = find(hash, path, i);
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

        // the id of the directory equal to path[0, length), or -1
        private int find(int hash, char[] path, int length)
        {
            int mask = slots.length - 1;
            for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
                int id = slots[slot] - 1;
                if (id < 0) {
                    return -1;
                }
                if (hashes[id] == hash && isPrefix(paths[id], path, length)) {
                    return id;
                }
            }
        }

        private static boolean isPrefix(String candidate, char[] path, int length)
        {
            if (candidate.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (candidate.charAt(i) != path[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Collects claims in three passes: parent directories, files (dropping directories), directory rules. */
    private static final class Builder
    {
        // per file while building: directory id, name offset and length in names, encoded owner
        static final int STRIDE = 4;

        private final Ownership[] packages;
        private final Map<String, Set<LoadKind>> judgeablePackages = new HashMap<>();
        private final DirectoryTable directories = new DirectoryTable();
        private int[] entries = new int[1024 * STRIDE];
        private int[] entryHash = new int[1024];
        private byte[] names = new byte[16 * 1024];
        private int nameLength;
        private int entryCount;
        private int[] buildSlots = new int[2048];
        private final List<int[]> ownerLists = new ArrayList<>();
        private final Map<String, Integer> ruleOwners = new HashMap<>();
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
                loadKinds(sbomPackage, packageClaims).ifPresent(kinds -> judgeablePackages.merge(sbomPackage.id(), kinds, Builder::union));
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

        // the load kinds of a package's complete claims; empty if it has none
        private static Optional<Set<LoadKind>> loadKinds(SbomPackage sbomPackage, List<Claim> claims)
        {
            boolean complete = false;
            EnumSet<LoadKind> kinds = EnumSet.noneOf(LoadKind.class);
            for (Claim claim : claims) {
                if (!claim.complete()) {
                    continue;
                }
                complete = true;
                if (claim.directory()) {
                    // a package folder (npm, Composer, gems, NuGet) holds interpreted code and native add-ons
                    kinds.add(LoadKind.INTERPRETED_CODE);
                    kinds.add(LoadKind.NATIVE_LIBRARY);
                }
                else if (claim.confidence() == Confidence.BINARY) {
                    kinds.add(LoadKind.EXECUTABLE);
                }
                else {
                    kinds.add(LoadKind.ofFile(claim.path()));
                }
            }
            return complete ? Optional.of(Set.copyOf(kinds)) : Optional.empty();
        }

        private static Set<LoadKind> union(Set<LoadKind> left, Set<LoadKind> right)
        {
            EnumSet<LoadKind> all = EnumSet.noneOf(LoadKind.class);
            all.addAll(left);
            all.addAll(right);
            return Set.copyOf(all);
        }

        private static List<Claim> collect(SbomPackage sbomPackage)
        {
            List<Claim> claims = new ArrayList<>(sbomPackage.ownedFiles().size() + sbomPackage.locations().size() + 1);
            OwnershipRules.claims(sbomPackage, new OwnershipRules.ClaimSink()
            {
                @Override
                public void file(String path, Confidence confidence, boolean complete)
                {
                    PathNormalizer.tryNormalize(path)
                            .filter(normalized -> normalized.length() > 1)
                            .ifPresent(normalized -> claims.add(new Claim(normalized, confidence, false, complete)));
                }

                @Override
                public void directory(String path, Confidence confidence, boolean complete)
                {
                    PathNormalizer.tryNormalize(path)
                            .filter(normalized -> normalized.length() > 1)
                            .ifPresent(normalized -> claims.add(new Claim(normalized, confidence, true, complete)));
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

        // a file also below a rule directory answers its exact owners, then the rule's owners not among them
        @SuppressWarnings({"unchecked", "rawtypes"})
        private void combineWithRules(int fileDirectories)
        {
            int[] directoryRule = new int[fileDirectories];
            for (int id = 0; id < fileDirectories; id++) {
                // the directory itself counts: it is a proper ancestor of its files
                String directory = directories.path(id);
                char[] path = (directory + "/").toCharArray();
                directoryRule[id] = ruleTable.innermostOwner(path, path.length);
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

    private record Claim(String path, Confidence confidence, boolean directory, boolean complete) {}
}
