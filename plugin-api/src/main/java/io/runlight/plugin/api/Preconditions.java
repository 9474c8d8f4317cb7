package io.runlight.plugin.api;

/**
 * Argument checks for the API's records. The plugin API depends on the JDK only, so
 * this is the hand-written few lines rather than a library (as Trino's SPI does).
 */
public final class Preconditions
{
    private Preconditions() {}

    /**
     * Returns {@code value} if it is neither {@code null} nor blank.
     *
     * @throws NullPointerException if value is null, with message "name is null"
     * @throws IllegalArgumentException if value is blank, with message "name is blank"
     */
    public static String requireNonBlank(String value, String name)
    {
        if (value == null) {
            throw new NullPointerException(name + " is null");
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " is blank");
        }
        return value;
    }

    /**
     * Throws {@link IllegalArgumentException} with the given message unless the condition holds.
     */
    public static void checkArgument(boolean condition, String message)
    {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
