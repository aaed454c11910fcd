package org.esfdw.bridge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * Objects the C shim refers to by a handle it keeps in its own state (scans, writers). Handles are never
 * reused, so a stale one is reported, not confused with another object.
 */
final class Handles<T> {
    private final Map<Long, T> objects = new ConcurrentHashMap<>();
    private final AtomicLong lastHandle = new AtomicLong();
    private final String kind;

    Handles(String kind) {
        this.kind = kind;
    }

    long register(T object) {
        long handle = lastHandle.incrementAndGet();
        objects.put(handle, object);
        return handle;
    }

    T get(long handle) {
        T object = objects.get(handle);
        if (object == null) {
            throw new EsFdwException(SqlState.INVALID_HANDLE, "es_fdw " + kind + " handle " + handle + " is not open",
                    null, null);
        }
        return object;
    }

    /** Forgets the object; null when the handle is unknown. */
    T remove(long handle) {
        return objects.remove(handle);
    }

    void clear() {
        objects.clear();
    }
}
