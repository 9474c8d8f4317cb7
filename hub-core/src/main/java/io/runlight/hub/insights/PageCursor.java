package io.runlight.hub.insights;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Opaque, URL-safe cursors for keyset paging: a cursor carries the sort key of the last
 * item returned, so a page continues after it however many items were added or
 * removed meanwhile — no item is skipped or repeated because of a change elsewhere.
 */
public final class PageCursor
{
    private static final String VERSION = "v1:";

    private PageCursor() {}

    /** The cursor after an item with this sort key. */
    public static String after(String sortKey)
    {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((VERSION + sortKey).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The sort key a cursor carries.
     *
     * @throws IllegalArgumentException if the text is not a cursor this hub issued
     */
    public static Optional<String> sortKey(Optional<String> cursor)
    {
        if (cursor.isEmpty()) {
            return Optional.empty();
        }
        String text = cursor.get();
        try {
            if (text.length() > 4096) {
                throw new IllegalArgumentException("too long");
            }
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            if (!decoded.startsWith(VERSION)) {
                throw new IllegalArgumentException("unknown version");
            }
            return Optional.of(decoded.substring(VERSION.length()));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cursor '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "' is not one this hub issued: start again without a cursor", e);
        }
    }
}
