package org.esfdw.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimedCacheTest {

    @Test
    void valueIsReusedUntilItsTimeIsUp() {
        AtomicLong now = new AtomicLong();
        AtomicInteger loads = new AtomicInteger();
        TimedCache<String, Integer> cache = new TimedCache<>(Duration.ofSeconds(60), now::get);
        assertEquals(1, cache.get("k", k -> loads.incrementAndGet()));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals(1, cache.get("k", k -> loads.incrementAndGet()));
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(2, cache.get("k", k -> loads.incrementAndGet()));
    }

    @Test
    void valuesNotKeptAreLoadedEveryTime() {
        AtomicInteger loads = new AtomicInteger();
        TimedCache<String, Integer> cache = new TimedCache<>(Duration.ofSeconds(60));
        cache.get("k", k -> loads.incrementAndGet(), v -> false);
        cache.get("k", k -> loads.incrementAndGet(), v -> false);
        assertEquals(2, loads.get());
    }
}
