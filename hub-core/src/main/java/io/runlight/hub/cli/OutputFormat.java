package io.runlight.hub.cli;

import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How a hub-facing command prints what the hub answered: aligned columns for people, or the
 * API's own JSON (pretty-printed) for scripts.
 */
enum OutputFormat
{
    TABLE,
    JSON,
    /** Comma-separated values (RFC 4180), for spreadsheets: only where a command says so ({@code runlight vulns}). */
    CSV;

    /** {@code table} or {@code json}, in any case. */
    static final class Converter
            implements ITypeConverter<OutputFormat>
    {
        @Override
        public OutputFormat convert(String value)
        {
            for (OutputFormat format : values()) {
                if (format.name().equals(value.toUpperCase(Locale.ROOT))) {
                    return format;
                }
            }
            throw new TypeConversionException("output '" + value + "' is not known: use table or json (or csv for `runlight vulns`)");
        }
    }
}
