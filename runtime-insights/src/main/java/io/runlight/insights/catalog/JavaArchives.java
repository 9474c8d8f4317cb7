package io.runlight.insights.catalog;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * Java archives ({@code .jar}, {@code .war}, {@code .ear}, Jenkins {@code .hpi}/{@code .jpi}).
 *
 * <ul>
 *   <li>Coordinates from {@code META-INF/maven/<group>/<artifact>/pom.properties}; when a jar
 *       holds several (a shaded jar), the one whose artifact names the file is the jar's own and the
 *       others are packages shaded into it; else from the {@code <artifact>-<version>.pom} beside the
 *       jar (a Maven repository's layout: jars built by Gradle have no pom.properties); else from the
 *       manifest ({@code Implementation-*}, {@code Bundle-*}); else from the file name
 *       ({@code <name>-<version>.jar}).</li>
 *   <li>A jar owns its file. Jars inside it ({@code BOOT-INF/lib/} of a Spring Boot jar,
 *       {@code WEB-INF/lib/} of a war, any nested {@code .jar}) and shaded packages are owned
 *       through the outer jar: loading it is weaker evidence that they run.</li>
 * </ul>
 * A jar is read through its central directory ({@link ZipDirectory}) when its bytes can be read
 * at random (a root folder's file, a member of an uncompressed layer): only the manifest, the
 * pom.properties and nested jars' directories are read. A gzip layer's jar is read as a stream.
 * Jars are never written out.
 */
final class JavaArchives
        implements Ecosystem
{
    private static final Pattern POM_PROPERTIES = Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
    private static final Pattern NAME_VERSION = Pattern.compile("(.+?)-(\\d[^-]*(?:-[A-Za-z0-9.]+)*)");
    private static final int MAX_NESTING = 3;

    private final List<Undecided> undecided = new ArrayList<>();

    /** A jar without pom.properties, whose coordinates wait for the metadata files. */
    private record Undecided(String path, String stem, Optional<Manifest> manifest) {}

    @Override
    public boolean wantsMetadata(String path)
    {
        return path.endsWith(".pom");
    }

    @Override
    public boolean wantsStream(String path, FileNode node)
    {
        return isArchive(path);
    }

    @Override
    public void stream(String path, FileNode node, InputStream content, CatalogContext context)
            throws IOException
    {
        try {
            if (content instanceof ChannelRegion.Content random && readAtRandom(path, path, Optional.empty(), random.region(), 0, context)) {
                return;
            }
            readArchive(path, path, Optional.empty(), content, 0, context);
        }
        catch (ZipException | EOFException | IllegalArgumentException e) {
            context.warn("left out the Java archive '" + path + "': not a valid zip (" + e.getMessage() + ")");
        }
    }

    /**
     * Reads a jar through its central directory: only the manifest, the pom.properties and the
     * nested jars' own directories are read. False if the zip cannot be read that way (Zip64).
     */
    private boolean readAtRandom(String shownPath, String fileName, Optional<String> outer, ChannelRegion zip, int depth, CatalogContext context)
            throws IOException
    {
        Optional<List<ZipDirectory.Entry>> entries = ZipDirectory.entries(zip);
        if (entries.isEmpty()) {
            return false;
        }
        Contents contents = new Contents();
        List<ZipDirectory.Entry> nested = new ArrayList<>();
        for (ZipDirectory.Entry entry : entries.get()) {
            if (entry.name().endsWith("/")) {
                continue;
            }
            if (isArchive(entry.name())) {
                nested.add(entry);
            }
            else if (wantsEntry(entry.name())) {
                contents.read(entry.name(), ZipDirectory.read(zip, entry, Math.min(context.limits().maxArchiveEntryBytes(), 1 << 20)));
            }
        }
        addPackages(shownPath, fileName, outer, contents, context);
        if (depth >= MAX_NESTING) {
            return true;
        }
        String onDisk = outer.orElse(shownPath);
        for (ZipDirectory.Entry entry : nested) {
            String nestedPath = onDisk + ":" + entry.name();
            if (entry.method() == 0 && readAtRandom(nestedPath, entry.name(), Optional.of(onDisk), ZipDirectory.data(zip, entry), depth + 1, context)) {
                continue;
            }
            try (InputStream in = ZipDirectory.stream(zip, entry)) {
                readArchive(nestedPath, entry.name(), Optional.of(onDisk), in, depth + 1, context);
            }
        }
        return true;
    }

    @Override
    public void finish(CatalogContext context)
    {
        for (Undecided jar : undecided) {
            String pom = jar.path().substring(0, jar.path().lastIndexOf('/') + 1) + jar.stem() + ".pom";
            InstalledPackage pkg = fromPomXml(pom, context)
                    .or(() -> jar.manifest().flatMap(JavaArchives::fromManifest))
                    .orElseGet(() -> fromFileName(jar.stem()));
            context.add(sbomPackage(pkg, jar.path(), Optional.empty()));
        }
    }

    // the coordinates of a pom.xml: its own groupId, artifactId and version, or its parent's group and version
    private static Optional<InstalledPackage> fromPomXml(String shownPath, CatalogContext context)
    {
        try {
            Optional<byte[]> bytes = context.metadataBytes(shownPath);
            if (bytes.isEmpty() || bytes.get().length > context.limits().readerLimits().maxStringLength()) {
                return Optional.empty();
            }
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            Element project = factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes.get())).getDocumentElement();
            String group = child(project, "groupId");
            String artifact = child(project, "artifactId");
            String version = child(project, "version");
            Element parent = null;
            NodeList parents = project.getElementsByTagName("parent");
            if (parents.getLength() > 0 && parents.item(0).getParentNode() == project) {
                parent = (Element) parents.item(0);
            }
            if (group.isEmpty() && parent != null) {
                group = child(parent, "groupId");
            }
            if (version.isEmpty() && parent != null) {
                version = child(parent, "version");
            }
            if (artifact.isEmpty() || group.contains("${") || artifact.contains("${") || version.contains("${")) {
                return Optional.empty();
            }
            return Optional.of(maven(group, artifact, version));
        }
        catch (IOException | ParserConfigurationException | SAXException e) {
            context.warn("cannot read the Maven pom '" + shownPath + "': " + e.getMessage());
            return Optional.empty();
        }
    }

    private static String child(Element element, String name)
    {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element child && child.getTagName().equals(name)) {
                return child.getTextContent().strip();
            }
        }
        return "";
    }

    /**
     * @param shownPath the path messages and virtual paths use ({@code /app/app.jar:BOOT-INF/lib/x.jar})
     * @param outer the outermost archive on disk, for a nested archive
     */
    private void readArchive(String shownPath, String fileName, Optional<String> outer, InputStream in, int depth, CatalogContext context)
            throws IOException
    {
        ZipInputStream zip = new ZipInputStream(in);
        Contents contents = new Contents();
        int entries = 0;
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            entries++;
            String name = entry.getName();
            if (entry.isDirectory()) {
                continue;
            }
            if (isArchive(name)) {
                if (depth < MAX_NESTING) {
                    readArchive(outer.orElse(shownPath) + ":" + name, name, Optional.of(outer.orElse(shownPath)), zip, depth + 1, context);
                }
            }
            else if (wantsEntry(name)) {
                contents.read(name, bounded(zip, shownPath + ":" + name, context));
            }
        }
        if (entries == 0) {
            throw new ZipException("no zip entries in '" + shownPath + "'");
        }
        addPackages(shownPath, fileName, outer, contents, context);
    }

    private void addPackages(String shownPath, String fileName, Optional<String> outer, Contents contents, CatalogContext context)
    {
        String baseName = fileName.substring(fileName.lastIndexOf('/') + 1);
        String stem = baseName.contains(".") ? baseName.substring(0, baseName.lastIndexOf('.')) : baseName;
        String onDisk = outer.orElse(shownPath);
        Optional<Properties> own = Optional.empty();
        for (Properties pom : contents.poms) {
            String artifact = pom.getProperty("artifactId", "");
            if (!artifact.isEmpty() && (stem.equals(artifact) || stem.startsWith(artifact + "-"))) {
                own = Optional.of(pom);
                break;
            }
        }
        // one pom.properties naming another artifact than a "<name>-<version>" file is shaded in (opentelemetry-sdk-trace holds jctools-core's)
        if (own.isEmpty() && contents.poms.size() == 1 && !NAME_VERSION.matcher(stem).matches()) {
            own = Optional.of(contents.poms.get(0));
        }
        if (own.isPresent()) {
            context.add(sbomPackage(fromPom(own.get()), onDisk, outer));
        }
        else if (outer.isEmpty()) {
            // a Maven repository keeps <artifact>-<version>.pom beside the jar: known once every metadata file is
            undecided.add(new Undecided(onDisk, stem, contents.manifest));
        }
        else {
            context.add(sbomPackage(contents.manifest.flatMap(JavaArchives::fromManifest).orElseGet(() -> fromFileName(stem)), onDisk, outer));
        }
        for (Properties pom : contents.poms) {
            if (own.isPresent() && own.get() == pom) {
                continue;
            }
            // shaded into this jar: owned through it
            context.add(sbomPackage(fromPom(pom), onDisk, Optional.of(onDisk)));
        }
    }

    private static SbomPackage sbomPackage(InstalledPackage pkg, String onDisk, Optional<String> nestedIn)
    {
        List<String> owned = nestedIn.isPresent() ? List.of() : List.of(onDisk);
        return new SbomPackage(pkg.purl().toString(), pkg, owned, List.of(onDisk), nestedIn);
    }

    private static InstalledPackage fromPom(Properties pom)
    {
        String group = pom.getProperty("groupId", "").strip();
        String artifact = pom.getProperty("artifactId", "").strip();
        String version = pom.getProperty("version", "").strip();
        return maven(group, artifact.isEmpty() ? "unknown" : artifact, version);
    }

    private static Optional<InstalledPackage> fromManifest(Manifest manifest)
    {
        var attributes = manifest.getMainAttributes();
        String title = first(attributes.getValue("Implementation-Title"), attributes.getValue("Bundle-SymbolicName"));
        String version = first(attributes.getValue("Implementation-Version"), attributes.getValue("Bundle-Version"));
        if (title.isEmpty() || version.isEmpty()) {
            return Optional.empty();
        }
        // "org.example.lib;singleton:=true"
        String name = title.split(";")[0].strip();
        String group = first(attributes.getValue("Implementation-Vendor-Id"), "");
        if (group.isEmpty() && name.contains(".") && !name.contains(" ")) {
            int dot = name.lastIndexOf('.');
            group = name.substring(0, dot);
            name = name.substring(dot + 1);
        }
        if (name.contains(" ") || name.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(maven(group, name, version));
    }

    private static InstalledPackage fromFileName(String stem)
    {
        Matcher matcher = NAME_VERSION.matcher(stem);
        if (matcher.matches()) {
            return maven("", matcher.group(1), matcher.group(2));
        }
        return maven("", stem.isEmpty() ? "unknown" : stem, "");
    }

    private static InstalledPackage maven(String group, String artifact, String version)
    {
        Purl purl = Purl.of("maven", group.isEmpty() ? null : group, artifact, version.isEmpty() ? null : version);
        String name = group.isEmpty() ? artifact : group + ":" + artifact;
        return new InstalledPackage(PackageType.MAVEN, name, version, purl, Optional.empty());
    }

    private static String first(String value, String fallback)
    {
        if (value != null && !value.isBlank()) {
            return value.strip();
        }
        return fallback == null ? "" : fallback.strip();
    }

    private static boolean wantsEntry(String name)
    {
        return name.equals("META-INF/MANIFEST.MF") || POM_PROPERTIES.matcher(name).matches();
    }

    static boolean isArchive(String path)
    {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".jar") || lower.endsWith(".war") || lower.endsWith(".ear") || lower.endsWith(".hpi") || lower.endsWith(".jpi");
    }

    private static byte[] bounded(InputStream in, String name, CatalogContext context)
            throws IOException
    {
        long limit = Math.min(context.limits().maxArchiveEntryBytes(), 1 << 20);
        byte[] bytes = in.readNBytes((int) limit + 1);
        if (bytes.length > limit) {
            throw new ZipException("'" + name + "' has more than " + limit + " bytes");
        }
        return bytes;
    }

    /** What one archive says about itself. */
    private static final class Contents
    {
        private final List<Properties> poms = new ArrayList<>();
        private Optional<Manifest> manifest = Optional.empty();

        void read(String name, byte[] bytes)
                throws IOException
        {
            if (name.equals("META-INF/MANIFEST.MF")) {
                manifest = Optional.of(new Manifest(new ByteArrayInputStream(bytes)));
                return;
            }
            Properties pom = new Properties();
            pom.load(new ByteArrayInputStream(bytes));
            poms.add(pom);
        }
    }
}
