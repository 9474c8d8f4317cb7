package io.runlight.hub.plugin;

import static io.runlight.plugin.api.Preconditions.checkArgument;

/**
 * Caps on what a plugin jar may hold, checked by {@link PluginJarInspector} before PF4J or
 * the JDK's manifest parser reads a byte of it: a hostile jar (a zip bomb, a manifest of
 * a million duplicate lines, an {@code extensions.idx} that inflates to a gigabyte) is
 * refused with the cap it broke instead of exhausting the hub's memory or log. The
 * defaults are far above what a real connector needs (the bundled ones are under 5 MiB
 * and 2,000 entries).
 *
 * @param maxJarBytes the largest jar file (compressed), checked before it is copied
 * @param maxEntries the most entries
 * @param maxEntryBytes the largest entry, inflated
 * @param maxInflatedBytes all entries together, inflated
 * @param maxManifestBytes the largest {@code META-INF/MANIFEST.MF}
 * @param maxExtensionIndexBytes the largest {@code META-INF/extensions.idx}
 */
record PluginJarLimits(long maxJarBytes, int maxEntries, long maxEntryBytes, long maxInflatedBytes, int maxManifestBytes, int maxExtensionIndexBytes)
{
    static final PluginJarLimits DEFAULT = new PluginJarLimits(256L << 20, 20_000, 64L << 20, 512L << 20, 64 << 10, 64 << 10);

    PluginJarLimits
    {
        checkArgument(maxJarBytes > 0, "maxJarBytes must be positive: " + maxJarBytes);
        checkArgument(maxEntries > 0, "maxEntries must be positive: " + maxEntries);
        checkArgument(maxEntryBytes > 0, "maxEntryBytes must be positive: " + maxEntryBytes);
        checkArgument(maxInflatedBytes > 0, "maxInflatedBytes must be positive: " + maxInflatedBytes);
        checkArgument(maxManifestBytes > 0, "maxManifestBytes must be positive: " + maxManifestBytes);
        checkArgument(maxExtensionIndexBytes > 0, "maxExtensionIndexBytes must be positive: " + maxExtensionIndexBytes);
    }

    /** A size for messages: bytes, KiB or MiB. */
    static String size(long bytes)
    {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
