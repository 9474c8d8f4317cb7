package io.runlight.insights.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.runlight.insights.input.InputLimits;
import io.runlight.insights.sbom.ImageIdentity;
import io.runlight.insights.sbom.SbomPackage;
import io.runlight.plugin.api.PackageType;

import static io.runlight.insights.catalog.ImageArchiveBuilder.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Installed gems' {@code specifications/*.gemspec}, shaped as RubyGems writes them, with
 * their {@code gems/<name>-<version>/} folders, from a root folder and as an image archive.
 */
class TestRubyGems
{
    private static final String GEM_HOME = "usr/local/bundle";

    @TempDir
    Path work;

    @Test
    void gemsOwnTheirGemFolders()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("root"));
        write(root, GEM_HOME + "/specifications/rack-3.0.8.gemspec", gemspec("rack", "3.0.8", "ruby"));
        write(root, GEM_HOME + "/gems/rack-3.0.8/lib/rack.rb", "module Rack; end\n");
        write(root, GEM_HOME + "/gems/rack-3.0.8/lib/rack/request.rb", "module Rack; class Request; end; end\n");
        // a platform gem: the folder carries the platform, the version does not
        write(root, GEM_HOME + "/specifications/nokogiri-1.15.4-x86_64-linux.gemspec", gemspec("nokogiri", "1.15.4", "x86_64-linux"));
        write(root, GEM_HOME + "/gems/nokogiri-1.15.4-x86_64-linux/lib/nokogiri/3.2/nokogiri.so", "\u007fELF");
        write(root, GEM_HOME + "/gems/nokogiri-1.15.4-x86_64-linux/lib/nokogiri.rb", "require 'nokogiri/nokogiri'\n");
        // Bundler's own folder beside it, and a default gem whose files live in Ruby's own library
        write(root, GEM_HOME + "/gems/rack-3.0.8-extra/lib/other.rb", "\n");
        write(root, GEM_HOME + "/specifications/default/json-2.6.3.gemspec", gemspec("json", "2.6.3", "ruby"));
        // a gem whose folder is gone (removed by a later layer): listed, owning nothing
        write(root, "var/lib/gems/3.1.0/specifications/thor-1.3.0.gemspec", gemspec("thor", "1.3.0", "ruby"));

        Catalog catalog = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);

        assertThat(gems(catalog)).containsExactly(
                "pkg:gem/nokogiri@1.15.4 owns [/usr/local/bundle/gems/nokogiri-1.15.4-x86_64-linux/lib/nokogiri.rb, /usr/local/bundle/gems/nokogiri-1.15.4-x86_64-linux/lib/nokogiri/3.2/nokogiri.so]"
                        + " at [/usr/local/bundle/specifications/nokogiri-1.15.4-x86_64-linux.gemspec]",
                "pkg:gem/rack@3.0.8 owns [/usr/local/bundle/gems/rack-3.0.8/lib/rack.rb, /usr/local/bundle/gems/rack-3.0.8/lib/rack/request.rb]"
                        + " at [/usr/local/bundle/specifications/rack-3.0.8.gemspec]",
                "pkg:gem/thor@1.3.0 owns [] at [/var/lib/gems/3.1.0/specifications/thor-1.3.0.gemspec]");
        assertThat(catalog.warnings()).isEmpty();
        CycloneDxRoundTrip.assertValidAndReadBack(catalog);

        Path archive = new ImageArchiveBuilder(Files.createDirectories(work.resolve("archive"))).layer(root, true).dockerSave("example/ruby:1");
        Catalog fromArchive = new Cataloger(CatalogLimits.DEFAULT, Optional.of(work)).catalogArchive(archive);
        assertThat(fromArchive.packages()).isEqualTo(catalog.packages());
        assertThat(fromArchive.warnings()).isEmpty();
    }

    @Test
    void brokenAndOversizedGemspecsAreLeftOutWithAWarning()
            throws IOException
    {
        Path root = Files.createDirectories(work.resolve("root"));
        write(root, "gems/specifications/truncated-1.0.gemspec", "# -*- encoding: utf-8 -*-\nGem::Specification.new do |s|\n  s.name = \"trunc");
        write(root, "gems/specifications/evaluated-1.0.gemspec", "Gem::Specification.new do |s|\n  s.name = File.read('/etc/passwd')\n  s.version = `id`\nend\n");
        write(root, "gems/specifications/big-1.0.gemspec", gemspec("big", "1.0", "ruby") + "# padding\n".repeat(300));
        write(root, "gems/specifications/..gemspec", gemspec("dots", "1.0", "ruby"));
        write(root, "gems/specifications/ok-2.0.gemspec", gemspec("ok", "2.0", "ruby"));
        write(root, "gems/gems/ok-2.0/lib/ok.rb", "\n");

        CatalogLimits small = new CatalogLimits(1000, 1 << 30, 128, 4096, 2048, 1 << 20, InputLimits.DEFAULT);
        Catalog catalog = new Cataloger(small, Optional.of(work)).catalogRootFolder(root, ImageIdentity.UNKNOWN);

        assertThat(gems(catalog)).containsExactly(
                "pkg:gem/dots@1.0 owns [] at [/gems/specifications/..gemspec]",
                "pkg:gem/ok@2.0 owns [/gems/gems/ok-2.0/lib/ok.rb] at [/gems/specifications/ok-2.0.gemspec]");
        assertThat(catalog.warnings()).containsExactly(
                "left out the Ruby gem '/gems/specifications/big-1.0.gemspec': root folder at /gems/specifications/big-1.0.gemspec: the file has more than 2048 bytes, the limit for a metadata file",
                "left out the Ruby gem '/gems/specifications/evaluated-1.0.gemspec': it has no s.name = \"…\" and s.version = \"…\" lines as RubyGems writes them",
                "left out the Ruby gem '/gems/specifications/truncated-1.0.gemspec': it has no s.name = \"…\" and s.version = \"…\" lines as RubyGems writes them");
    }

    // what `gem install` writes (RubyGems 3.4, Gem::Specification#to_ruby)
    private static String gemspec(String name, String version, String platform)
    {
        return """
                # -*- encoding: utf-8 -*-
                # stub: %1$s %2$s %3$s lib

                Gem::Specification.new do |s|
                  s.name = "%1$s".freeze
                  s.version = "%2$s"
                  s.platform = "%3$s".freeze

                  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze) if s.respond_to? :required_rubygems_version=
                  s.metadata = { "changelog_uri" => "https://example.org/%1$s/CHANGELOG.md" } if s.respond_to? :metadata=
                  s.require_paths = ["lib".freeze]
                  s.authors = ["Example Author".freeze]
                  s.date = "2023-07-31"
                  s.licenses = ["MIT".freeze]
                  s.rubygems_version = "3.4.10".freeze
                  s.summary = "The %1$s gem".freeze

                  s.installed_by_version = "3.4.10" if s.respond_to? :installed_by_version
                end
                """.formatted(name, version, platform);
    }

    private static List<String> gems(Catalog catalog)
    {
        return catalog.packages().stream().filter(sbomPackage -> sbomPackage.pkg().type() == PackageType.GEM).map(TestRubyGems::describe).toList();
    }

    private static String describe(SbomPackage sbomPackage)
    {
        return sbomPackage.pkg().purl() + " owns " + sbomPackage.ownedFiles() + " at " + sbomPackage.locations();
    }
}
