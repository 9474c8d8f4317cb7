package io.runlight.benchmarks;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import static java.util.Objects.requireNonNull;

/**
 * Writes the Syft JSON SBOM (schema 16 shape, as {@code syft -o json} writes it) of a large
 * synthetic image, so the engine can be measured at the scale of a fat real image (20,000
 * packages owning 1,000,000 files by default) without shipping such a file.
 *
 * <p>Most packages are OS packages (deb for {@link Flavor#DEBIAN}, apk with directory entries
 * for {@link Flavor#ALPINE}) listing {@code metadata.files} under the directories real
 * packages use ({@code /usr/lib/x86_64-linux-gnu}, {@code /usr/share/doc/<pkg>}, {@code /usr/bin},
 * {@code /usr/share/locale}, {@code /usr/share/man}, ...); file counts per package follow a
 * log-normal spread, as real images have a few huge packages and many small ones. About 15%
 * are language packages: npm ({@code node_modules}, scoped and nested), Python (RECORD paths
 * relative to {@code sitePackagesRootPath}, console scripts via {@code ../../../bin}), Java
 * (plain and Spring Boot nested jars) and Go modules (several per binary).
 *
 * <p>Everything is streamed: the document is written with Jackson's generator as it is
 * made up, and only one package's file list is held at a time. Besides the SBOM it writes the
 * list of owned canonical paths and a shuffled sample of observed paths: 70% owned, 30% not,
 * in the raw forms events carry (usrmerge aliases, {@code /proc/<pid>/root} prefixes,
 * {@code " (deleted)"} suffixes, no leading slash). The output depends only on the options:
 * the same options give the same bytes.
 */
public final class SyntheticSbomGenerator
{
    static final String SBOM_FILE = "sbom.syft.json";
    static final String OWNED_FILE = "owned-paths.tsv";
    static final String OBSERVED_FILE = "observed-paths.tsv";
    private static final String PROPERTIES_FILE = "image.properties";
    private static final String COMPLETE_MARKER = "complete";

    private static final int HIT_PERCENT = 70;
    private static final int FILES_PER_DIRECTORY = 32;
    private static final int OS_MINIMUM_FILES = 3;
    private static final int PYTHON_MINIMUM_FILES = 5;
    private static final String SITE_PACKAGES = "/usr/local/lib/python3.11/site-packages";

    private static final String[] OS_STEMS = {
            "ssl", "crypto", "xml2", "curl", "gnutls", "krb5", "gssapi", "ldap", "sasl2", "z", "lzma", "zstd",
            "bz2", "pcre2", "ffi", "gmp", "idn2", "unistring", "tasn1", "p11-kit", "nettle", "hogweed", "sqlite3",
            "db5", "gdbm", "ncurses", "tinfo", "readline", "edit", "expat", "yaml", "jansson", "uuid", "blkid",
            "mount", "selinux", "audit", "cap-ng", "acl", "attr", "systemd", "udev", "dbus", "glib", "pango",
            "cairo", "pixman", "png16", "jpeg", "tiff", "webp", "freetype", "fontconfig", "harfbuzz", "icu",
            "boost", "protobuf", "grpc", "absl", "re2", "snappy", "lz4", "brotli", "nghttp2", "psl", "ssh2",
            "gcrypt", "gpg-error", "assuan", "ksba", "npth", "xslt", "archive", "magic", "seccomp", "apparmor",
            "elf", "dw", "unwind", "pam", "crypt", "nss", "nspr", "event", "uv", "ev", "xxhash", "jemalloc"};
    private static final String[] SUBDIRECTORIES = {
            "modules", "plugins", "engines", "filters", "codecs", "backends", "drivers", "providers", "extensions",
            "gconv", "dri", "loaders", "themes", "schemas", "icons", "templates", "scripts", "data", "xsl", "rules",
            "profiles", "tables", "fonts", "keymaps"};
    private static final String[] FILE_WORDS = {
            "core", "util", "io", "net", "parse", "render", "codec", "crypto", "hash", "buffer", "stream", "cache",
            "index", "table", "node", "tree", "graph", "event", "signal", "thread", "pool", "queue", "timer",
            "config", "loader", "driver", "filter", "format", "image", "font", "audio", "video"};
    private static final String[] LANGUAGES = {
            "af", "ar", "bg", "ca", "cs", "da", "de", "el", "en_GB", "eo", "es", "et", "eu", "fi", "fr", "ga",
            "gl", "he", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "nb", "nl", "pl", "pt", "pt_BR", "ro",
            "ru", "sk", "sl", "sr", "sv", "tr", "uk", "vi", "zh_CN", "zh_TW"};
    private static final String[] PYTHON_STEMS = {
            "requests", "urllib3", "certifi", "idna", "charset-normalizer", "six", "attrs", "pyyaml", "jinja2",
            "markupsafe", "click", "packaging", "setuptools", "wheel", "numpy", "pandas", "pytz",
            "python-dateutil", "cryptography", "cffi", "pycparser", "protobuf", "grpcio", "boto3", "botocore",
            "s3transfer", "jmespath", "rsa", "pyasn1", "google-auth", "cachetools", "typing-extensions",
            "pydantic", "fastapi", "starlette", "uvicorn", "h11", "anyio", "sniffio", "httpx"};
    private static final String[] NPM_STEMS = {
            "express", "lodash", "react", "debug", "ms", "chalk", "commander", "semver", "uuid", "axios", "qs",
            "body-parser", "mime", "mime-types", "accepts", "cookie", "depd", "inherits", "safe-buffer", "yargs",
            "glob", "minimatch", "rimraf", "tslib", "rxjs", "moment", "async", "bluebird", "ws", "core-js"};
    private static final String[] NPM_SCOPES = {"@babel", "@types", "@aws-sdk", "@nestjs", "@angular"};
    private static final String[] JAVA_ARTIFACTS = {
            "org.apache.commons:commons-lang3", "com.fasterxml.jackson.core:jackson-databind", "io.netty:netty-handler",
            "org.slf4j:slf4j-api", "com.google.guava:guava", "org.springframework:spring-core",
            "org.springframework:spring-web", "org.yaml:snakeyaml", "ch.qos.logback:logback-classic",
            "org.apache.tomcat.embed:tomcat-embed-core", "org.hibernate.orm:hibernate-core", "io.micrometer:micrometer-core"};
    private static final String[] GO_MODULES = {
            "golang.org/x/net", "golang.org/x/sys", "golang.org/x/text", "google.golang.org/grpc",
            "google.golang.org/protobuf", "github.com/spf13/cobra", "github.com/spf13/pflag", "github.com/sirupsen/logrus",
            "github.com/prometheus/client_golang", "github.com/golang/protobuf", "github.com/google/uuid",
            "gopkg.in/yaml.v3", "k8s.io/apimachinery", "k8s.io/client-go", "github.com/gorilla/mux"};

    private final Options options;

    public SyntheticSbomGenerator(Options options)
    {
        this.options = requireNonNull(options, "options is null");
    }

    /** The package mix of the synthetic image. */
    public enum Flavor
    {
        /** deb packages ({@code dpkg-db-entry}) of a Debian 12 image, files under {@code /usr/lib/x86_64-linux-gnu}. */
        DEBIAN,
        /** apk packages ({@code apk-db-entry}) of an Alpine image, split {@code /lib} and {@code /usr/lib}, directory entries listed. */
        ALPINE
    }

    /**
     * What to generate.
     *
     * @param packages how many packages (artifacts)
     * @param ownedFiles how many file entries the packages' {@code metadata.files} list in total
     * @param seed the seed every choice derives from
     * @param flavor deb or apk OS packages
     * @param observedPaths how many observed paths to write
     */
    public record Options(int packages, int ownedFiles, long seed, Flavor flavor, int observedPaths)
    {
        /** The scale of issue 3: 20,000 packages owning 1,000,000 files. */
        public static final Options DEFAULT = new Options(20_000, 1_000_000, 42, Flavor.DEBIAN, 65_536);

        public Options
        {
            requireNonNull(flavor, "flavor is null");
            if (packages < 20) {
                throw new IllegalArgumentException("packages must be at least 20: " + packages);
            }
            if (observedPaths < 1) {
                throw new IllegalArgumentException("observedPaths must be positive: " + observedPaths);
            }
            int minimum = Plan.minimumFiles(packages);
            if (ownedFiles < minimum) {
                throw new IllegalArgumentException("ownedFiles must be at least " + minimum + " for " + packages + " packages: " + ownedFiles);
            }
        }

        /** A directory name that identifies these options, for caching generated images. */
        public String directoryName()
        {
            return "syft-" + flavor.name().toLowerCase(Locale.ROOT) + "-" + packages + "p-" + ownedFiles + "f-seed" + seed + "-" + observedPaths + "o";
        }
    }

    /**
     * The image of {@code options} under {@code root}: generated into
     * {@code root/<options.directoryName()>} unless a complete earlier generation is there.
     */
    public static SyntheticImage cached(Path root, Options options)
            throws IOException
    {
        requireNonNull(root, "root is null");
        requireNonNull(options, "options is null");
        Path directory = root.resolve(options.directoryName());
        if (Files.exists(directory.resolve(COMPLETE_MARKER))) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(directory.resolve(PROPERTIES_FILE), StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            return image(options, directory, Integer.parseInt(properties.getProperty("listedFiles")),
                    Integer.parseInt(properties.getProperty("ownedPaths")), Integer.parseInt(properties.getProperty("observedOwned")));
        }
        return new SyntheticSbomGenerator(options).generate(directory);
    }

    /** Writes the SBOM, the owned paths and the observed paths into {@code directory} (created if missing). */
    public SyntheticImage generate(Path directory)
            throws IOException
    {
        requireNonNull(directory, "directory is null");
        Files.createDirectories(directory);
        Files.deleteIfExists(directory.resolve(COMPLETE_MARKER));
        Run run = new Run(Plan.of(options));
        try (OutputStream sbom = new BufferedOutputStream(Files.newOutputStream(directory.resolve(SBOM_FILE)), 1 << 16);
                JsonGenerator json = new JsonFactory().createGenerator(sbom, JsonEncoding.UTF8);
                Writer owned = Files.newBufferedWriter(directory.resolve(OWNED_FILE), StandardCharsets.UTF_8)) {
            run.document(json, owned);
        }
        int observedOwned;
        try (Writer observed = Files.newBufferedWriter(directory.resolve(OBSERVED_FILE), StandardCharsets.UTF_8)) {
            observedOwned = run.observed(observed);
        }
        Properties properties = new Properties();
        properties.setProperty("listedFiles", Integer.toString(run.listedFiles));
        properties.setProperty("ownedPaths", Integer.toString(run.ownedPaths));
        properties.setProperty("observedOwned", Integer.toString(observedOwned));
        try (Writer writer = Files.newBufferedWriter(directory.resolve(PROPERTIES_FILE), StandardCharsets.UTF_8)) {
            properties.store(writer, options.directoryName());
        }
        Files.writeString(directory.resolve(COMPLETE_MARKER), "");
        return image(options, directory, run.listedFiles, run.ownedPaths, observedOwned);
    }

    /**
     * Generates an image from the command line:
     * {@code SyntheticSbomGenerator <directory> [packages] [ownedFiles] [seed] [debian|alpine] [observedPaths]}.
     */
    public static void main(String[] args)
            throws IOException
    {
        if (args.length < 1) {
            System.err.println("usage: SyntheticSbomGenerator <directory> [packages] [ownedFiles] [seed] [debian|alpine] [observedPaths]");
            System.exit(2);
        }
        Options defaults = Options.DEFAULT;
        Options options = new Options(
                args.length > 1 ? Integer.parseInt(args[1]) : defaults.packages(),
                args.length > 2 ? Integer.parseInt(args[2]) : defaults.ownedFiles(),
                args.length > 3 ? Long.parseLong(args[3]) : defaults.seed(),
                args.length > 4 ? Flavor.valueOf(args[4].toUpperCase(Locale.ROOT)) : defaults.flavor(),
                args.length > 5 ? Integer.parseInt(args[5]) : defaults.observedPaths());
        SyntheticImage image = new SyntheticSbomGenerator(options).generate(Path.of(args[0]));
        System.out.printf(Locale.ROOT, "%s: %d packages, %d listed files, %d owned paths, %d observed paths (%d owned), %,d bytes%n",
                image.sbom(), options.packages(), image.listedFiles(), image.ownedPathCount(), options.observedPaths(),
                image.observedOwned(), Files.size(image.sbom()));
    }

    private static SyntheticImage image(Options options, Path directory, int listedFiles, int ownedPaths, int observedOwned)
    {
        return new SyntheticImage(options, directory.resolve(SBOM_FILE), directory.resolve(OWNED_FILE),
                directory.resolve(OBSERVED_FILE), listedFiles, ownedPaths, observedOwned);
    }

    /** What a package is; decides its paths and metadata. */
    private enum Kind
    {
        OS_LIBRARY, OS_TOOL, OS_DATA, PYTHON, NPM, JAVA, GO;

        boolean listsFiles()
        {
            return this != NPM && this != JAVA && this != GO;
        }
    }

    /** The kind, per-kind ordinal and file count of every package, decided before writing. */
    private static final class Plan
    {
        final Options options;
        final Kind[] kinds;
        final int[] ordinals;
        final int[] fileCounts;
        final int goBinaries;

        private Plan(Options options, Kind[] kinds, int[] ordinals, int[] fileCounts, int goBinaries)
        {
            this.options = options;
            this.kinds = kinds;
            this.ordinals = ordinals;
            this.fileCounts = fileCounts;
            this.goBinaries = goBinaries;
        }

        static int npmCount(int packages)
        {
            return packages * 7 / 100;
        }

        static int pythonCount(int packages)
        {
            return packages * 4 / 100;
        }

        static int javaCount(int packages)
        {
            return packages * 3 / 100;
        }

        static int goCount(int packages)
        {
            return Math.max(1, packages / 100);
        }

        static int osCount(int packages)
        {
            return packages - npmCount(packages) - pythonCount(packages) - javaCount(packages) - goCount(packages);
        }

        static int minimumFiles(int packages)
        {
            return osCount(packages) * OS_MINIMUM_FILES + pythonCount(packages) * PYTHON_MINIMUM_FILES;
        }

        static Plan of(Options options)
        {
            SplittableRandom random = new SplittableRandom(options.seed());
            int packages = options.packages();
            Kind[] kinds = new Kind[packages];
            int next = 0;
            for (int i = 0; i < osCount(packages); i++) {
                int choice = random.nextInt(100);
                Kind kind = Kind.OS_DATA;
                if (choice < 60) {
                    kind = Kind.OS_LIBRARY;
                }
                else if (choice < 85) {
                    kind = Kind.OS_TOOL;
                }
                kinds[next++] = kind;
            }
            next = fill(kinds, next, pythonCount(packages), Kind.PYTHON);
            next = fill(kinds, next, npmCount(packages), Kind.NPM);
            next = fill(kinds, next, javaCount(packages), Kind.JAVA);
            fill(kinds, next, goCount(packages), Kind.GO);
            for (int i = packages - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Kind swapped = kinds[i];
                kinds[i] = kinds[j];
                kinds[j] = swapped;
            }
            // ordinals per family (all OS kinds share one, so OS names stay unique across kinds)
            int[] ordinals = new int[packages];
            int[] counters = new int[Kind.values().length];
            for (int i = 0; i < packages; i++) {
                int family = family(kinds[i]).ordinal();
                ordinals[i] = counters[family]++;
            }
            return new Plan(options, kinds, ordinals, fileCounts(options, kinds, random), Math.max(1, goCount(packages) / 25));
        }

        static Kind family(Kind kind)
        {
            return switch (kind) {
                case OS_LIBRARY, OS_TOOL, OS_DATA -> Kind.OS_LIBRARY;
                case PYTHON, NPM, JAVA, GO -> kind;
            };
        }

        private static int fill(Kind[] kinds, int from, int count, Kind kind)
        {
            for (int i = 0; i < count; i++) {
                kinds[from + i] = kind;
            }
            return from + count;
        }

        // log-normal weights; every file-listing package gets its minimum, the rest is shared by weight
        private static int[] fileCounts(Options options, Kind[] kinds, SplittableRandom random)
        {
            int[] counts = new int[kinds.length];
            double[] weights = new double[kinds.length];
            double total = 0;
            long assigned = 0;
            for (int i = 0; i < kinds.length; i++) {
                if (!kinds[i].listsFiles()) {
                    continue;
                }
                counts[i] = kinds[i] == Kind.PYTHON ? PYTHON_MINIMUM_FILES : OS_MINIMUM_FILES;
                assigned += counts[i];
                weights[i] = Math.exp(1.4 * gaussian(random)) * (kinds[i] == Kind.PYTHON ? 0.4 : 1.0);
                total += weights[i];
            }
            long remaining = options.ownedFiles() - assigned;
            long shared = 0;
            for (int i = 0; i < kinds.length; i++) {
                if (weights[i] > 0) {
                    int extra = (int) (remaining * weights[i] / total);
                    counts[i] += extra;
                    shared += extra;
                }
            }
            for (int i = 0; shared < remaining; i++) {
                if (kinds[i].listsFiles()) {
                    counts[i]++;
                    shared++;
                }
            }
            return counts;
        }

        private static double gaussian(SplittableRandom random)
        {
            double u = 1.0 - random.nextDouble();
            double v = random.nextDouble();
            return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2.0 * Math.PI * v);
        }
    }

    /** One generation: writes the document and owned paths, samples owned paths for the observed list. */
    private static final class Run
    {
        private final Plan plan;
        private final Options options;
        private final boolean alpine;
        private final SplittableRandom random;
        // a separate stream for sampling, so the SBOM does not depend on the number of observed paths
        private final SplittableRandom sampling;
        private final String[] layers = new String[6];
        private final String[] sample;
        private final Set<String> sharedLocations = new HashSet<>();
        private final List<String> topLevelNpm = new ArrayList<>();
        private JsonGenerator json;
        private Writer owned;
        private int listedFiles;
        private int ownedPaths;

        Run(Plan plan)
        {
            this.plan = plan;
            this.options = plan.options;
            this.alpine = options.flavor() == Flavor.ALPINE;
            this.random = new SplittableRandom(options.seed() ^ 0x5EED_0F_5B0BL);
            this.sampling = new SplittableRandom(options.seed() ^ 0x0B5E_47EDL);
            this.sample = new String[(int) ((long) options.observedPaths() * HIT_PERCENT / 100)];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = "sha256:" + hex(64);
            }
        }

        void document(JsonGenerator generator, Writer ownedWriter)
                throws IOException
        {
            this.json = generator;
            this.owned = ownedWriter;
            json.writeStartObject();
            json.writeArrayFieldStart("artifacts");
            for (int i = 0; i < plan.kinds.length; i++) {
                artifact(i);
            }
            json.writeEndArray();
            relationships();
            source();
            distro();
            json.writeObjectFieldStart("descriptor");
            json.writeStringField("name", "syft");
            json.writeStringField("version", "1.32.0");
            json.writeEndObject();
            json.writeObjectFieldStart("schema");
            json.writeStringField("version", "16.0.39");
            json.writeStringField("url", "https://raw.githubusercontent.com/anchore/syft/main/schema/json/schema-16.0.39.json");
            json.writeEndObject();
            json.writeEndObject();
        }

        /** Writes the observed paths (shuffled); returns how many are owned. */
        int observed(Writer writer)
                throws IOException
        {
            int hits = Math.min(sample.length, ownedPaths);
            List<String> lines = new ArrayList<>(options.observedPaths());
            for (int i = 0; i < hits; i++) {
                lines.add("1\t" + sample[i] + "\t" + rawForm(sample[i]));
            }
            for (int i = hits; i < options.observedPaths(); i++) {
                String canonical = missPath(i);
                lines.add("0\t" + canonical + "\t" + rawForm(canonical));
            }
            for (int i = lines.size() - 1; i > 0; i--) {
                Collections.swap(lines, i, sampling.nextInt(i + 1));
            }
            for (String line : lines) {
                writer.write(line);
                writer.write('\n');
            }
            return hits;
        }

        private void artifact(int index)
                throws IOException
        {
            Kind kind = plan.kinds[index];
            switch (kind) {
                case OS_LIBRARY, OS_TOOL, OS_DATA -> osPackage(index, kind);
                case PYTHON -> pythonPackage(index);
                case NPM -> npmPackage(index);
                case JAVA -> javaPackage(index);
                case GO -> goModule(index);
            }
        }

        // ---- OS packages ----

        private void osPackage(int index, Kind kind)
                throws IOException
        {
            int ordinal = plan.ordinals[index];
            String stem = OS_STEMS[ordinal % OS_STEMS.length];
            String generation = ordinal < OS_STEMS.length ? "" : "-" + ordinal / OS_STEMS.length;
            String name = switch (kind) {
                case OS_LIBRARY -> "lib" + stem + generation;
                case OS_DATA -> stem + "-data" + generation;
                default -> stem + generation;
            };
            int major = 1 + random.nextInt(9);
            String upstream = major + "." + random.nextInt(20) + "." + random.nextInt(12);
            String version = alpine ? upstream + "-r" + random.nextInt(8) : upstream + "-" + (1 + random.nextInt(4)) + "+deb12u" + random.nextInt(3);
            List<String> paths = osPaths(kind, name, stem + generation, major, upstream, plan.fileCounts[index]);
            String database = alpine ? "/lib/apk/db/installed" : "/var/lib/dpkg/status";
            String purl = alpine
                    ? "pkg:apk/alpine/" + name + "@" + version + "?arch=x86_64&distro=alpine-3.20.3"
                    : "pkg:deb/debian/" + name + "@" + version + "?arch=amd64&distro=debian-12";
            startArtifact(index, name, version, alpine ? "apk" : "deb", alpine ? "apk-db-cataloger" : "dpkg-db-cataloger",
                    List.of(database), "", purl, alpine ? "apk-db-entry" : "dpkg-db-entry", kind == Kind.OS_DATA ? "MIT" : "GPL-2.0-or-later");
            json.writeObjectFieldStart("metadata");
            json.writeStringField("package", name);
            if (alpine) {
                json.writeStringField("originPackage", name);
                json.writeStringField("maintainer", "Natanael Copa <ncopa@alpinelinux.org>");
                json.writeStringField("version", version);
                json.writeStringField("architecture", "x86_64");
                json.writeStringField("url", "https://example.org/" + name);
                json.writeStringField("description", "synthetic package " + name);
                json.writeNumberField("size", 1000 + random.nextInt(500_000));
                json.writeNumberField("installedSize", 4096 + random.nextInt(4_000_000));
                json.writeArrayFieldStart("pullDependencies");
                json.writeString("so:libc.musl-x86_64.so.1");
                json.writeEndArray();
                json.writeArrayFieldStart("provides");
                json.writeEndArray();
                json.writeStringField("pullChecksum", "Q1" + base64(27) + "=");
                json.writeStringField("gitCommitOfApkPort", hex(40));
            }
            else {
                json.writeStringField("source", stem + generation);
                json.writeStringField("version", version);
                json.writeStringField("sourceVersion", version);
                json.writeStringField("architecture", "amd64");
                json.writeStringField("maintainer", "Debian Synthetic Maintainers <synthetic@lists.debian.org>");
                json.writeNumberField("installedSize", 16 + random.nextInt(40_000));
                json.writeArrayFieldStart("depends");
                json.writeString("libc6 (>= 2.34)");
                json.writeEndArray();
            }
            json.writeArrayFieldStart("files");
            Set<String> listedDirectories = new HashSet<>();
            for (String path : paths) {
                if (alpine) {
                    directoryEntries(path, listedDirectories);
                }
                osFileEntry(path);
                listedFiles++;
                own(canonical(path), index);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        }

        private void osFileEntry(String path)
                throws IOException
        {
            json.writeStartObject();
            json.writeStringField("path", path);
            if (alpine) {
                json.writeStringField("ownerUid", "0");
                json.writeStringField("ownerGid", "0");
                json.writeStringField("permissions", path.contains("/bin/") ? "755" : "644");
                json.writeObjectFieldStart("digest");
                json.writeStringField("algorithm", "'Q1'+base64(sha1)");
                json.writeStringField("value", "Q1" + base64(27) + "=");
                json.writeEndObject();
            }
            else {
                json.writeObjectFieldStart("digest");
                json.writeStringField("algorithm", "md5");
                json.writeStringField("value", hex(32));
                json.writeEndObject();
                json.writeBooleanField("isConfigFile", path.startsWith("/etc/"));
            }
            json.writeEndObject();
        }

        // apk lists every directory (as its own entry, before the files in it)
        private void directoryEntries(String path, Set<String> listed)
                throws IOException
        {
            List<String> missing = new ArrayList<>();
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                String directory = path.substring(0, slash);
                if (!listed.add(directory)) {
                    break;
                }
                missing.add(directory);
            }
            for (int i = missing.size() - 1; i >= 0; i--) {
                json.writeStartObject();
                json.writeStringField("path", missing.get(i));
                json.writeEndObject();
            }
        }

        private List<String> osPaths(Kind kind, String name, String base, int major, String upstream, int count)
        {
            String libraryDirectory = alpine ? "/usr/lib" : "/usr/lib/x86_64-linux-gnu";
            List<String> paths = new ArrayList<>(count);
            paths.add("/usr/share/doc/" + name + "/copyright");
            paths.add("/usr/share/doc/" + name + (alpine ? "/README" : "/changelog.Debian.gz"));
            switch (kind) {
                case OS_LIBRARY -> {
                    String directory = alpine && random.nextInt(10) < 3 ? "/lib" : libraryDirectory;
                    paths.add(directory + "/lib" + base + ".so." + upstream);
                }
                case OS_TOOL -> {
                    String directory = random.nextInt(5) == 0 ? "/usr/sbin" : "/usr/bin";
                    if (alpine && random.nextInt(10) < 3) {
                        directory = directory.substring(4);
                    }
                    paths.add(directory + "/" + name);
                }
                default -> paths.add("/usr/share/" + name + "/" + name + ".dat");
            }
            int[] perTemplate = new int[4];
            for (int extra = 0; paths.size() < count; extra++) {
                int template = extra % 4;
                int k = perTemplate[template]++;
                paths.add(extraPath(kind, template, k, name, libraryDirectory, major));
            }
            Collections.sort(paths);
            return paths;
        }

        private static String extraPath(Kind kind, int template, int k, String name, String libraryDirectory, int major)
        {
            String word = FILE_WORDS[k % FILE_WORDS.length];
            return switch (kind) {
                case OS_LIBRARY -> switch (template) {
                    case 0 -> chunk(libraryDirectory + "/" + name, k) + "/" + word + "-" + k + ".so";
                    case 1 -> chunk("/usr/share/" + name, k) + "/" + word + "-" + k + (k % 3 == 0 ? ".xml" : ".dat");
                    case 2 -> locale(name, k);
                    default -> chunk("/usr/include/" + name, k) + "/" + word + "-" + k + ".h";
                };
                case OS_TOOL -> switch (template) {
                    case 0 -> chunk("/usr/lib/" + name, k) + "/" + word + "-" + k;
                    case 1 -> chunk("/usr/share/" + name, k) + "/" + word + "-" + k + ".conf";
                    case 2 -> "/usr/share/man/man" + (1 + k % 8) + "/" + name + "-" + word + "-" + k + "." + (1 + k % 8) + ".gz";
                    default -> chunk("/etc/" + name, k) + "/" + word + "-" + k + ".conf";
                };
                default -> switch (template) {
                    case 0, 1 -> chunk("/usr/share/" + name, k * 2 + template) + "/" + word + "-" + (k * 2 + template) + ".dat";
                    case 2 -> locale(name, k);
                    default -> chunk("/usr/share/doc/" + name + "/examples", k) + "/" + word + "-" + k + ".txt" + (major % 2 == 0 ? ".gz" : "");
                };
            };
        }

        private static String locale(String name, int k)
        {
            String suffix = k < LANGUAGES.length ? "" : "-" + k / LANGUAGES.length;
            return "/usr/share/locale/" + LANGUAGES[k % LANGUAGES.length] + "/LC_MESSAGES/" + name + suffix + ".mo";
        }

        // FILES_PER_DIRECTORY files per directory, in named subdirectories
        private static String chunk(String base, int k)
        {
            int directory = k / FILES_PER_DIRECTORY;
            if (directory == 0) {
                return base;
            }
            String subdirectory = SUBDIRECTORIES[directory % SUBDIRECTORIES.length];
            int round = directory / SUBDIRECTORIES.length;
            return base + "/" + subdirectory + (round == 0 ? "" : Integer.toString(round));
        }

        // ---- language packages ----

        private void pythonPackage(int index)
                throws IOException
        {
            int ordinal = plan.ordinals[index];
            String name = PYTHON_STEMS[ordinal % PYTHON_STEMS.length] + (ordinal < PYTHON_STEMS.length ? "" : "-" + ordinal / PYTHON_STEMS.length);
            String version = (1 + random.nextInt(5)) + "." + random.nextInt(30) + "." + random.nextInt(10);
            String module = name.replace('-', '_');
            String distInfo = name.replace('-', '_') + "-" + version + ".dist-info";
            boolean script = random.nextInt(4) == 0;
            List<String> records = new ArrayList<>(plan.fileCounts[index]);
            records.add(distInfo + "/METADATA");
            records.add(distInfo + "/RECORD");
            records.add(distInfo + "/WHEEL");
            records.add(distInfo + "/INSTALLER");
            records.add(module + "/__init__.py");
            if (script && plan.fileCounts[index] > PYTHON_MINIMUM_FILES) {
                records.add("../../../bin/" + name);
            }
            for (int k = 0; records.size() < plan.fileCounts[index]; k++) {
                String file = FILE_WORDS[(k / 2) % FILE_WORDS.length] + "_" + k / 2;
                String directory = chunk(module, k / 2);
                records.add(k % 2 == 0 ? directory + "/" + file + ".py" : directory + "/__pycache__/" + file + ".cpython-311.pyc");
            }
            startArtifact(index, name, version, "python", "python-installed-package-cataloger",
                    List.of(SITE_PACKAGES + "/" + distInfo + "/METADATA", SITE_PACKAGES + "/" + distInfo + "/RECORD"),
                    "python", "pkg:pypi/" + name + "@" + version, "python-package", "Apache-2.0");
            json.writeObjectFieldStart("metadata");
            json.writeStringField("name", name);
            json.writeStringField("version", version);
            json.writeStringField("author", "Synthetic Authors");
            json.writeStringField("authorEmail", "authors@example.org");
            json.writeStringField("platform", "");
            json.writeArrayFieldStart("files");
            for (String record : records) {
                json.writeStartObject();
                json.writeStringField("path", record);
                if (!record.endsWith("/RECORD")) {
                    json.writeObjectFieldStart("digest");
                    json.writeStringField("algorithm", "sha256");
                    json.writeStringField("value", base64(43));
                    json.writeEndObject();
                    json.writeStringField("size", Integer.toString(100 + random.nextInt(90_000)));
                }
                json.writeEndObject();
                listedFiles++;
                own(record.startsWith("../../../bin/") ? "/usr/local/bin/" + name : SITE_PACKAGES + "/" + record, index);
            }
            json.writeEndArray();
            json.writeStringField("sitePackagesRootPath", SITE_PACKAGES);
            json.writeArrayFieldStart("topLevelPackages");
            json.writeString(module);
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        }

        private void npmPackage(int index)
                throws IOException
        {
            int ordinal = plan.ordinals[index];
            String stem = NPM_STEMS[ordinal % NPM_STEMS.length] + (ordinal < NPM_STEMS.length ? "" : "-" + ordinal / NPM_STEMS.length);
            String name = ordinal % 5 == 4 ? NPM_SCOPES[(ordinal / 5) % NPM_SCOPES.length] + "/" + stem : stem;
            String version = random.nextInt(10) + "." + random.nextInt(30) + "." + random.nextInt(20);
            String directory;
            if (ordinal % 10 == 7 && !topLevelNpm.isEmpty()) {
                directory = "/app/node_modules/" + topLevelNpm.get(random.nextInt(topLevelNpm.size())) + "/node_modules/" + name;
            }
            else {
                directory = "/app/node_modules/" + name;
                topLevelNpm.add(name);
            }
            String purlName = name.startsWith("@") ? "%40" + name.substring(1) : name;
            startArtifact(index, name, version, "npm", "javascript-package-cataloger", List.of(directory + "/package.json"),
                    "javascript", "pkg:npm/" + purlName + "@" + version, "javascript-npm-package", "MIT");
            json.writeObjectFieldStart("metadata");
            json.writeStringField("name", name);
            json.writeStringField("version", version);
            json.writeStringField("author", "Synthetic Authors");
            json.writeStringField("homepage", "https://example.org/" + stem);
            json.writeStringField("description", "synthetic npm package " + name);
            json.writeStringField("url", "https://github.com/example/" + stem);
            json.writeBooleanField("private", false);
            json.writeEndObject();
            json.writeEndObject();
            // owned through the package directory rule
            own(directory + "/package.json", index);
            own(directory + "/index.js", index);
            own(directory + "/lib/" + FILE_WORDS[ordinal % FILE_WORDS.length] + ".js", index);
            own(directory + "/lib/" + FILE_WORDS[(ordinal + 1) % FILE_WORDS.length] + ".js", index);
        }

        private void javaPackage(int index)
                throws IOException
        {
            int ordinal = plan.ordinals[index];
            String[] coordinates = JAVA_ARTIFACTS[ordinal % JAVA_ARTIFACTS.length].split(":");
            String group = coordinates[0];
            String artifact = coordinates[1] + (ordinal < JAVA_ARTIFACTS.length ? "" : "-" + ordinal / JAVA_ARTIFACTS.length);
            String version = (1 + random.nextInt(6)) + "." + random.nextInt(20) + "." + random.nextInt(10);
            String jarName = artifact + "-" + version + ".jar";
            boolean nested = ordinal % 10 < 3;
            String outer = "/opt/app/app.jar";
            String location = nested ? outer : "/opt/app/lib/" + jarName;
            String virtualPath = nested ? outer + ":BOOT-INF/lib/" + jarName : location;
            startArtifact(index, artifact, version, "java-archive", "java-archive-cataloger", List.of(location), "java",
                    "pkg:maven/" + group + "/" + artifact + "@" + version, "java-archive", "Apache-2.0");
            json.writeObjectFieldStart("metadata");
            json.writeStringField("virtualPath", virtualPath);
            json.writeObjectFieldStart("manifest");
            json.writeArrayFieldStart("main");
            manifestEntry("Manifest-Version", "1.0");
            manifestEntry("Implementation-Title", artifact);
            manifestEntry("Implementation-Version", version);
            json.writeEndArray();
            json.writeEndObject();
            json.writeObjectFieldStart("pomProperties");
            json.writeStringField("path", "META-INF/maven/" + group + "/" + artifact + "/pom.properties");
            json.writeStringField("name", "");
            json.writeStringField("groupId", group);
            json.writeStringField("artifactId", artifact);
            json.writeStringField("version", version);
            json.writeEndObject();
            json.writeArrayFieldStart("digest");
            json.writeStartObject();
            json.writeStringField("algorithm", "sha1");
            json.writeStringField("value", hex(40));
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
            ownShared(location, index);
        }

        private void manifestEntry(String key, String value)
                throws IOException
        {
            json.writeStartObject();
            json.writeStringField("key", key);
            json.writeStringField("value", value);
            json.writeEndObject();
        }

        private void goModule(int index)
                throws IOException
        {
            int ordinal = plan.ordinals[index];
            String module = GO_MODULES[ordinal % GO_MODULES.length] + (ordinal < GO_MODULES.length ? "" : "-" + ordinal / GO_MODULES.length);
            String version = "v" + random.nextInt(3) + "." + random.nextInt(40) + "." + random.nextInt(10);
            int binary = ordinal % plan.goBinaries;
            String location = "/usr/local/bin/svc-" + FILE_WORDS[binary % FILE_WORDS.length] + "-" + binary;
            startArtifact(index, module, version, "go-module", "go-module-binary-cataloger", List.of(location), "go",
                    "pkg:golang/" + module + "@" + version, "go-module-buildinfo-entry", "BSD-3-Clause");
            json.writeObjectFieldStart("metadata");
            json.writeArrayFieldStart("goBuildSettings");
            manifestEntry("-compiler", "gc");
            manifestEntry("CGO_ENABLED", "0");
            manifestEntry("GOARCH", "amd64");
            manifestEntry("GOOS", "linux");
            json.writeEndArray();
            json.writeStringField("goCompiledVersion", "go1.22.5");
            json.writeStringField("architecture", "amd64");
            json.writeStringField("h1Digest", "h1:" + base64(43) + "=");
            json.writeStringField("mainModule", "github.com/example/svc-" + binary);
            json.writeEndObject();
            json.writeEndObject();
            ownShared(location, index);
        }

        // ---- common parts ----

        private void startArtifact(int index, String name, String version, String type, String foundBy, List<String> locations,
                String language, String purl, String metadataType, String license)
                throws IOException
        {
            String layer = layers[index % layers.length];
            json.writeStartObject();
            json.writeStringField("id", id(index));
            json.writeStringField("name", name);
            json.writeStringField("version", version);
            json.writeStringField("type", type);
            json.writeStringField("foundBy", foundBy);
            json.writeArrayFieldStart("locations");
            for (String location : locations) {
                json.writeStartObject();
                json.writeStringField("path", location);
                json.writeStringField("layerID", layer);
                json.writeStringField("accessPath", location);
                json.writeObjectFieldStart("annotations");
                json.writeStringField("evidence", "primary");
                json.writeEndObject();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("licenses");
            json.writeStartObject();
            json.writeStringField("value", license);
            json.writeStringField("spdxExpression", license);
            json.writeStringField("type", "declared");
            json.writeArrayFieldStart("urls");
            json.writeEndArray();
            json.writeArrayFieldStart("locations");
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndArray();
            json.writeStringField("language", language);
            json.writeArrayFieldStart("cpes");
            String cpeName = name.substring(name.lastIndexOf('/') + 1);
            Set<String> vendors = new TreeSet<>(List.of(cpeName, cpeName.replace('-', '_')));
            for (String vendor : vendors) {
                json.writeStartObject();
                json.writeStringField("cpe", "cpe:2.3:a:" + vendor + ":" + cpeName + ":" + version + ":*:*:*:*:*:*:*");
                json.writeStringField("source", "syft-generated");
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeStringField("purl", purl);
            json.writeStringField("metadataType", metadataType);
        }

        private void relationships()
                throws IOException
        {
            json.writeArrayFieldStart("artifactRelationships");
            for (int i = 1; i < plan.kinds.length; i++) {
                if (random.nextInt(3) != 0) {
                    json.writeStartObject();
                    json.writeStringField("parent", id(random.nextInt(i)));
                    json.writeStringField("child", id(i));
                    json.writeStringField("type", "dependency-of");
                    json.writeEndObject();
                }
            }
            json.writeEndArray();
        }

        private void source()
                throws IOException
        {
            String manifest = "sha256:" + hex(64);
            String repository = alpine ? "example/synthetic-alpine" : "example/synthetic-debian";
            json.writeObjectFieldStart("source");
            json.writeStringField("id", manifest.substring(7));
            json.writeStringField("name", repository);
            json.writeStringField("version", manifest);
            json.writeStringField("type", "image");
            json.writeObjectFieldStart("metadata");
            json.writeStringField("userInput", repository + ":latest");
            json.writeStringField("imageID", "sha256:" + hex(64));
            json.writeStringField("manifestDigest", manifest);
            json.writeStringField("mediaType", "application/vnd.oci.image.manifest.v1+json");
            json.writeArrayFieldStart("tags");
            json.writeString(repository + ":latest");
            json.writeEndArray();
            json.writeNumberField("imageSize", 1_800_000_000L);
            json.writeArrayFieldStart("layers");
            for (String layer : layers) {
                json.writeStartObject();
                json.writeStringField("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip");
                json.writeStringField("digest", layer);
                json.writeNumberField("size", 300_000_000L);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("repoDigests");
            json.writeString(repository + "@sha256:" + hex(64));
            json.writeEndArray();
            json.writeStringField("architecture", "amd64");
            json.writeStringField("os", "linux");
            json.writeEndObject();
            json.writeEndObject();
        }

        private void distro()
                throws IOException
        {
            json.writeObjectFieldStart("distro");
            if (alpine) {
                json.writeStringField("prettyName", "Alpine Linux v3.20");
                json.writeStringField("name", "Alpine Linux");
                json.writeStringField("id", "alpine");
                json.writeStringField("versionID", "3.20.3");
            }
            else {
                json.writeStringField("prettyName", "Debian GNU/Linux 12 (bookworm)");
                json.writeStringField("name", "Debian GNU/Linux");
                json.writeStringField("id", "debian");
                json.writeStringField("version", "12 (bookworm)");
                json.writeStringField("versionID", "12");
            }
            json.writeEndObject();
        }

        /** Records a distinct owned path: the owned-paths list, and the reservoir of observed hits. */
        private void own(String canonical, int index)
                throws IOException
        {
            owned.write(Integer.toString(index));
            owned.write('\t');
            owned.write(canonical);
            owned.write('\n');
            ownedPaths++;
            if (ownedPaths <= sample.length) {
                sample[ownedPaths - 1] = canonical;
            }
            else {
                long slot = sampling.nextLong(ownedPaths);
                if (slot < sample.length) {
                    sample[(int) slot] = canonical;
                }
            }
        }

        // a path several packages claim (an outer jar, a Go binary) is listed once, with its first owner
        private void ownShared(String canonical, int index)
                throws IOException
        {
            if (sharedLocations.add(canonical)) {
                own(canonical, index);
            }
        }

        private String missPath(int i)
        {
            int n = sampling.nextInt(1_000_000);
            return switch (sampling.nextInt(8)) {
                case 0 -> "/tmp/tmp" + Integer.toHexString(n) + "/data-" + i + ".bin";
                case 1 -> "/proc/" + (1 + n % 4_000_000) + "/status";
                case 2 -> (alpine ? "/usr/lib" : "/usr/lib/x86_64-linux-gnu") + "/libmissing" + n + ".so.1";
                case 3 -> "/usr/share/doc/missing-" + n + "/README";
                case 4 -> List.of("/etc/ld.so.cache", "/etc/hosts", "/etc/resolv.conf", "/dev/null", "/dev/urandom").get(n % 5);
                case 5 -> "/app/data/" + n + ".json";
                case 6 -> "/usr/bin/missing-" + n;
                default -> "/root/.cache/pip/" + Integer.toHexString(n) + "/" + i;
            };
        }

        // the raw forms runtime sources write
        private String rawForm(String canonical)
        {
            int form = sampling.nextInt(100);
            int process = 1 + sampling.nextInt(4_194_304);
            if (form < 45) {
                return canonical;
            }
            if (form < 60) {
                return alias(canonical);
            }
            if (form < 75) {
                return "/proc/" + process + "/root" + canonical;
            }
            if (form < 85) {
                return canonical + " (deleted)";
            }
            if (form < 90) {
                return canonical.substring(1);
            }
            return "/proc/" + process + "/root" + alias(canonical) + " (deleted)";
        }

        private static String alias(String canonical)
        {
            if (canonical.startsWith("/usr/lib/") || canonical.startsWith("/usr/bin/") || canonical.startsWith("/usr/sbin/")) {
                return canonical.substring(4);
            }
            return canonical;
        }

        // generated paths are clean; only the usrmerge aliases of the split layout need rewriting
        private static String canonical(String path)
        {
            if (path.startsWith("/lib/") || path.startsWith("/bin/") || path.startsWith("/sbin/")) {
                return "/usr" + path;
            }
            return path;
        }

        // splitmix64's finaliser is a bijection, so ids are unique
        private String id(int index)
        {
            long z = options.seed() * 0x9E3779B97F4A7C15L + index + 1;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z = z ^ (z >>> 31);
            String hex = Long.toHexString(z);
            return "0".repeat(16 - hex.length()) + hex;
        }

        private String hex(int length)
        {
            char[] digits = new char[length];
            for (int i = 0; i < length; i++) {
                digits[i] = Character.forDigit(random.nextInt(16), 16);
            }
            return new String(digits);
        }

        private String base64(int length)
        {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            char[] digits = new char[length];
            for (int i = 0; i < length; i++) {
                digits[i] = alphabet.charAt(random.nextInt(64));
            }
            return new String(digits);
        }
    }
}
