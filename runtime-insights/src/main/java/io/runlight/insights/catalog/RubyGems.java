package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.runlight.insights.input.InputException;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.InstalledPackage;
import io.runlight.plugin.api.PackageType;
import io.runlight.plugin.api.Purl;

/**
 * Ruby gems: each {@code specifications/<full name>.gemspec} of a gem home (system Ruby,
 * Bundler's {@code vendor/bundle/ruby/<version>/}), the Ruby source RubyGems writes on
 * install, read for its {@code s.name = "…"} and {@code s.version = "…"} lines, never
 * evaluated. The gem owns every file below {@code gems/<full name>/} beside
 * {@code specifications/} ({@code <full name>} is the gemspec's file name: name, version and
 * platform, as RubyGems names the folder).
 */
final class RubyGems
        implements Ecosystem
{
    private static final String SPECIFICATIONS = "/specifications/";
    private static final Pattern NAME = Pattern.compile("^\\s*s\\.name\\s*=\\s*[\"']([^\"'\\s]+)[\"']", Pattern.MULTILINE);
    private static final Pattern VERSION = Pattern.compile("^\\s*s\\.version\\s*=\\s*[\"']([^\"'\\s]+)[\"']", Pattern.MULTILINE);

    @Override
    public boolean wantsMetadata(String path)
    {
        if (!path.endsWith(".gemspec")) {
            return false;
        }
        int specifications = path.lastIndexOf(SPECIFICATIONS);
        return specifications >= 0 && path.indexOf('/', specifications + SPECIFICATIONS.length()) < 0
                && path.length() > specifications + SPECIFICATIONS.length() + ".gemspec".length();
    }

    @Override
    public void finish(CatalogContext context)
    {
        FileTree tree = context.tree();
        List<String> gemspecs = new ArrayList<>();
        for (FileTree.Entry entry : tree.entries()) {
            if (wantsMetadata(entry.path()) && entry.node().isFile()) {
                gemspecs.add(entry.path());
            }
        }
        for (String gemspec : gemspecs) {
            String text;
            try {
                Optional<byte[]> bytes = context.metadataBytes(gemspec);
                if (bytes.isEmpty()) {
                    continue;
                }
                text = new String(bytes.get(), StandardCharsets.UTF_8);
            }
            catch (InputException | IOException e) {
                context.warn("left out the Ruby gem '" + gemspec + "': " + e.getMessage());
                continue;
            }
            Matcher name = NAME.matcher(text);
            Matcher version = VERSION.matcher(text);
            if (!name.find() || !version.find()) {
                context.warn("left out the Ruby gem '" + gemspec + "': it has no s.name = \"…\" and s.version = \"…\" lines as RubyGems writes them");
                continue;
            }
            String fullName = gemspec.substring(gemspec.lastIndexOf('/') + 1, gemspec.length() - ".gemspec".length());
            String home = gemspec.substring(0, gemspec.lastIndexOf(SPECIFICATIONS));
            String folder = home + "/gems/" + fullName;
            List<String> owned = new ArrayList<>();
            for (FileTree.Entry below : tree.entriesBelow(folder)) {
                if (below.node().kind() != FileNode.Kind.DIRECTORY) {
                    owned.add(below.path());
                }
            }
            Purl purl = Purl.of("gem", null, name.group(1), version.group(1));
            InstalledPackage pkg = new InstalledPackage(PackageType.GEM, name.group(1), version.group(1), purl, Optional.empty());
            context.add(new SbomPackage(purl.toString(), pkg, owned, List.of(gemspec), Optional.empty()));
        }
    }
}
