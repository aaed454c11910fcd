package org.esfdw.offline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files offline mode shares between backends: circuit breakers and the result cache. */
class OfflineStateTest {
    private static final String SERVER = "http://127.0.0.1:9";

    @TempDir
    Path state;

    @BeforeEach
    void useTemporaryStateDirectory() {
        System.setProperty(StateDirectory.PROPERTY, state.toString());
    }

    @AfterEach
    void forgetStateDirectory() {
        System.clearProperty(StateDirectory.PROPERTY);
    }

    @Test
    void aBreakerOpensForADoublingIntervalAndASuccessClosesIt() {
        assertNull(CircuitBreaker.state(SERVER));
        long before = System.currentTimeMillis();
        CircuitBreaker.failure(SERVER, "connection refused");
        CircuitBreaker.State first = CircuitBreaker.state(SERVER);
        assertEquals(1, first.failures());
        assertTrue(first.open(before) && first.openUntilMillis() - before >= CircuitBreaker.FIRST_INTERVAL_MS);
        CircuitBreaker.failure(SERVER, "connection refused again");
        CircuitBreaker.State second = CircuitBreaker.state(SERVER);
        assertEquals(2, second.failures());
        assertEquals(first.sinceMillis(), second.sinceMillis());
        assertTrue(second.openUntilMillis() - first.openUntilMillis() >= CircuitBreaker.FIRST_INTERVAL_MS - 50);
        assertEquals("connection refused again", second.lastError());
        for (int i = 0; i < 30; i++) {
            CircuitBreaker.failure(SERVER, "down");
        }
        assertTrue(CircuitBreaker.state(SERVER).openUntilMillis() - System.currentTimeMillis()
                <= CircuitBreaker.MAX_INTERVAL_MS);
        CircuitBreaker.success(SERVER);
        assertNull(CircuitBreaker.state(SERVER));
    }

    @Test
    void anUnreadableBreakerFileCountsAsClosed() throws Exception {
        CircuitBreaker.failure(SERVER, "x");
        try (var files = Files.list(state.resolve("breaker"))) {
            Files.writeString(files.findFirst().orElseThrow(), "not a breaker");
        }
        assertNull(CircuitBreaker.state(SERVER));
        assertEquals(0, CircuitBreaker.resetAll());
    }

    @Test
    void aCachedResultComesBackWholeUntilItsTtl() {
        List<byte[]> batches = List.of("first".getBytes(StandardCharsets.UTF_8), "second".getBytes(StandardCharsets.UTF_8));
        ResultCache.write("key 1", batches, 7, 1 << 20);
        ResultCache.Entry entry = ResultCache.read("key 1", 60_000);
        assertNotNull(entry);
        assertEquals(7, entry.rows());
        assertArrayEquals(batches.get(1), entry.batches().get(1));
        assertNull(ResultCache.read("key 2", 60_000));
        assertNull(ResultCache.read("key 1", -1));
        assertEquals(1, ResultCache.stats().entries());
    }

    @Test
    void aDamagedEntryIsIgnoredAndRemoved() throws Exception {
        ResultCache.write("key", List.of(new byte[100]), 1, 1 << 20);
        Path file;
        try (var files = Files.list(state.resolve("cache"))) {
            file = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertNull(ResultCache.read("key", 60_000));
        assertFalse(Files.exists(file));
        Files.write(file, new byte[3]);
        assertNull(ResultCache.read("key", 60_000));
    }

    @Test
    void theLeastRecentlyUsedEntriesGoOnceTheCacheIsFull() throws Exception {
        for (int i = 0; i < 5; i++) {
            ResultCache.write("key " + i, List.of(new byte[400]), 1, 2_000);
            Thread.sleep(5);
        }
        ResultCache.Stats stats = ResultCache.stats();
        assertTrue(stats.bytes() <= 2_000, "bytes " + stats.bytes());
        assertNotNull(ResultCache.read("key 4", 60_000));
        assertNull(ResultCache.read("key 0", 60_000));
        assertEquals(stats.entries(), ResultCache.clear());
    }
}
