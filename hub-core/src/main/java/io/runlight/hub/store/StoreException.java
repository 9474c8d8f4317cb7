package io.runlight.hub.store;

/**
 * The database behind the hub's maps or blobs failed (unreachable, full, refused a
 * statement). A map operation that throws it was not acknowledged: nothing was
 * stored. The message names the map or blob table, never a key or value.
 */
public final class StoreException
        extends RuntimeException
{
    public StoreException(String message, Throwable cause)
    {
        super(message, cause);
    }

    public StoreException(String message)
    {
        super(message);
    }
}
