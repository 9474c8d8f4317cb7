package io.runlight.plugin.api;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The ecosystem a package belongs to, named by its package-url type.
 */
public enum PackageType
{
    /** Debian and Ubuntu packages. */
    DEB("deb", true),
    /** Alpine packages. */
    APK("apk", true),
    /** RPM packages (RHEL, Fedora, Amazon Linux, SUSE). */
    RPM("rpm", true),
    /** Java archives from Maven coordinates. */
    MAVEN("maven", false),
    /** Python distributions. */
    PYPI("pypi", false),
    /** Node.js packages. */
    NPM("npm", false),
    /** Go modules compiled into a binary. */
    GOLANG("golang", false),
    /** PHP Composer packages. */
    COMPOSER("composer", false),
    /** Rust crates. */
    CARGO("cargo", false),
    /** Ruby gems. */
    GEM("gem", false),
    /** .NET NuGet packages. */
    NUGET("nuget", false),
    /** Anything else; carried, never matched by ecosystem rules. */
    OTHER("generic", false);

    private final String purlType;
    private final boolean operatingSystem;

    PackageType(String purlType, boolean operatingSystem)
    {
        this.purlType = purlType;
        this.operatingSystem = operatingSystem;
    }

    /** The package-url type, for example {@code deb} or {@code golang}. */
    public String purlType()
    {
        return purlType;
    }

    /** Whether this is an operating-system package (deb, apk, rpm). */
    public boolean isOperatingSystem()
    {
        return operatingSystem;
    }

    /** The lower-case name used in JSON output, for example {@code "apk"}. */
    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The type for a package-url type; unknown types map to {@link #OTHER}.
     */
    public static PackageType fromPurlType(String purlType)
    {
        requireNonNull(purlType, "purlType is null");
        String lower = purlType.toLowerCase(Locale.ROOT);
        for (PackageType type : values()) {
            if (type.purlType.equals(lower)) {
                return type;
            }
        }
        return OTHER;
    }
}
