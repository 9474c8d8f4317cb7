package io.runlight.plugin.api;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * An immutable sequence of bytes: a body or a payload the API's records carry. A
 * {@code byte[]} in a record would be shared with whoever built it and compared by
 * identity; this copies on the way in and out and compares by content, so the records
 * need no hand-written {@code equals} and {@code hashCode}.
 */
public final class Bytes
{
    private static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] bytes;

    private Bytes(byte[] bytes)
    {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}: changing the array afterwards does not change the value. */
    public static Bytes of(byte[] bytes)
    {
        requireNonNull(bytes, "bytes is null");
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /** The UTF-8 encoding of {@code text}. */
    public static Bytes utf8(String text)
    {
        return of(requireNonNull(text, "text is null").getBytes(StandardCharsets.UTF_8));
    }

    /** No bytes. */
    public static Bytes empty()
    {
        return EMPTY;
    }

    /** A copy of the bytes. */
    public byte[] toArray()
    {
        return bytes.clone();
    }

    /** The bytes read as a stream, without a copy. */
    public InputStream openStream()
    {
        return new ByteArrayInputStream(bytes);
    }

    /** The bytes decoded as UTF-8 (malformed input becomes U+FFFD). */
    public String toUtf8()
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The first {@code maxBytes} bytes (or all of them) decoded as UTF-8. */
    public String toUtf8(int maxBytes)
    {
        Preconditions.checkArgument(maxBytes >= 0, "maxBytes is negative: " + maxBytes);
        return new String(bytes, 0, Math.min(bytes.length, maxBytes), StandardCharsets.UTF_8);
    }

    public int length()
    {
        return bytes.length;
    }

    public boolean isEmpty()
    {
        return bytes.length == 0;
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Bytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(bytes);
    }

    /** The length only: bodies may carry credentials or personal data. */
    @Override
    public String toString()
    {
        return bytes.length + " bytes";
    }
}
