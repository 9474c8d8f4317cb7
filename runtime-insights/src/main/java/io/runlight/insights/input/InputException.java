package io.runlight.insights.input;

import static java.util.Objects.requireNonNull;

/**
 * An input document that cannot be read: truncated, not the format it claims, too
 * large, too deeply nested, or missing what the format requires. The fault is the
 * input's (a USER error), and the message names the format, the place (a JSON pointer
 * or a line number) and what was expected, in one sentence a person can act on.
 *
 * <p>A reader that throws this returns nothing: never a partial document.
 */
public final class InputException
        extends RuntimeException
{
    private final String format;
    private final String location;
    private final String problem;
    private final Reason reason;

    /** Why the input was refused; the hub maps these to HTTP statuses. */
    public enum Reason
    {
        /** Not parseable at all: truncated, not JSON, bad encoding (HTTP 400). */
        MALFORMED,
        /** Parseable, but not a supported format or not a valid document of it (HTTP 422). */
        INVALID,
        /** Over a size, depth or count limit (HTTP 413). */
        TOO_LARGE
    }

    public InputException(Reason reason, String format, String location, String problem)
    {
        this(reason, format, location, problem, null);
    }

    public InputException(Reason reason, String format, String location, String problem, Throwable cause)
    {
        super(format + " at " + location + ": " + problem, cause);
        this.reason = requireNonNull(reason, "reason is null");
        this.format = requireNonNull(format, "format is null");
        this.location = requireNonNull(location, "location is null");
        this.problem = requireNonNull(problem, "problem is null");
    }

    /** The format being read, for example {@code Syft JSON}. */
    public String format()
    {
        return format;
    }

    /** Where: a JSON pointer such as {@code /artifacts/3/metadata/files} or {@code line 17}. */
    public String location()
    {
        return location;
    }

    /** What is wrong, without format and location. */
    public String problem()
    {
        return problem;
    }

    public Reason reason()
    {
        return reason;
    }
}
