package org.esfdw.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Remembers values for a fixed time in the JVM (one per backend), so plan-time and run-time questions to
 * the server (mappings, aliases) are asked once a minute rather than once a query. The clock is
 * replaceable for tests.
 */
public final class TimedCache<K, V> {
    private record Entry<V>(V value, long expiresAtNanos) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final LongSupplier nanoClock;

    public TimedCache(Duration ttl) {
        this(ttl, System::nanoTime);
    }

    public TimedCache(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /** The cached value while fresh, else a newly loaded one (which keep decides whether to remember). */
    public V get(K key, Function<K, V> load, Predicate<V> keep) {
        long now = nanoClock.getAsLong();
        Entry<V> entry = entries.get(key);
        if (entry != null && now - entry.expiresAtNanos() < 0) {
            return entry.value();
        }
        V value = load.apply(key);
        if (keep.test(value)) {
            entries.put(key, new Entry<>(value, now + ttlNanos));
        } else {
            entries.remove(key);
        }
        return value;
    }

    public V get(K key, Function<K, V> load) {
        return get(key, load, value -> true);
    }

    /** Forgets everything (tests). */
    public void clear() {
        entries.clear();
    }
}
