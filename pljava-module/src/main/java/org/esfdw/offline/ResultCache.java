package org.esfdw.offline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The last good result of each cached query, as the row batches the executor got, in files under
 * StateDirectory/cache shared by every backend and kept across restarts. Written when a scan of a table
 * with cache 'on' has read its whole result; read only when the server is unreachable (offline_mode
 * 'cache'). The key is the server URL and the scan description without its connection: only the query and
 * the table definition, nothing fetched live, so the same query finds its entry while the server is down.
 *
 * <p>Entry file: MAGIC, the key's length and bytes, the write time, the row count, the batch count, each
 * batch length-prefixed, then a CRC32 of everything before it. Written to a temporary file and renamed, so a
 * reader sees a whole entry or none; a file that is short, has another magic, another key or a wrong CRC is
 * ignored (and removed), never an error. Reading an entry touches its modification time: eviction removes
 * the least recently used entries once the directory holds more than its size bound.
 */
public final class ResultCache {
    private static final byte[] MAGIC = "ESFDWRC1".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicLong HITS = new AtomicLong();
    private static final AtomicLong MISSES = new AtomicLong();

    /** A cached result: its batches, when it was written, how many rows it holds. */
    public record Entry(List<byte[]> batches, long writtenMillis, long rows) {
    }

    /** Entries and bytes in the cache, and this backend's hits and misses. */
    public record Stats(long entries, long bytes, long hits, long misses) {
    }

    private ResultCache() {
    }

    private static Path directory() {
        Path root = StateDirectory.root();
        return root == null ? null : root.resolve("cache");
    }

    /** The fresh entry of key (written within ttlMillis), or null. */
    public static Entry read(String key, long ttlMillis) {
        Path dir = directory();
        if (dir == null) {
            return null;
        }
        Path file = dir.resolve(StateDirectory.fileName(key));
        Entry entry = null;
        try {
            entry = decode(Files.readAllBytes(file), key);
            if (entry == null) {
                Files.deleteIfExists(file);
            } else if (System.currentTimeMillis() - entry.writtenMillis() > ttlMillis) {
                entry = null;
            } else {
                Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
            }
        } catch (IOException | RuntimeException e) {
            entry = null;
        }
        (entry == null ? MISSES : HITS).incrementAndGet();
        return entry;
    }

    /** Stores a whole result, then evicts least recently used entries beyond maxTotalBytes. */
    public static void write(String key, List<byte[]> batches, long rows, long maxTotalBytes) {
        Path dir = directory();
        if (dir == null) {
            return;
        }
        try {
            byte[] bytes = encode(key, batches, rows, System.currentTimeMillis());
            if (bytes.length > maxTotalBytes) {
                return;
            }
            StateDirectory.writeAtomically(dir.resolve(StateDirectory.fileName(key)), bytes);
            evict(dir, maxTotalBytes);
        } catch (IOException | RuntimeException e) {
            // a cache that cannot be written only means no offline answer later
        }
    }

    static byte[] encode(String key, List<byte[]> batches, long rows, long writtenMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(MAGIC);
        out.writeBytes(ByteBuffer.allocate(4).putInt(keyBytes.length).array());
        out.writeBytes(keyBytes);
        out.writeBytes(ByteBuffer.allocate(20).putLong(writtenMillis).putLong(rows).putInt(batches.size()).array());
        for (byte[] batch : batches) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(batch.length).array());
            out.writeBytes(batch);
        }
        CRC32 crc = new CRC32();
        crc.update(out.toByteArray());
        out.writeBytes(ByteBuffer.allocate(8).putLong(crc.getValue()).array());
        return out.toByteArray();
    }

    /** The entry in bytes, or null when they are not a whole entry of key. */
    static Entry decode(byte[] bytes, String key) {
        if (bytes.length < MAGIC.length + 8) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getLong(bytes.length - 8) != crc.getValue()) {
            return null;
        }
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            return null;
        }
        try {
            byte[] keyBytes = new byte[in.getInt()];
            in.get(keyBytes);
            if (!new String(keyBytes, StandardCharsets.UTF_8).equals(key)) {
                return null;
            }
            long written = in.getLong();
            long rows = in.getLong();
            int count = in.getInt();
            List<byte[]> batches = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] batch = new byte[in.getInt()];
                in.get(batch);
                batches.add(batch);
            }
            return in.remaining() == 8 ? new Entry(batches, written, rows) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void evict(Path dir, long maxTotalBytes) throws IOException {
        List<Path> entries;
        try (Stream<Path> files = Files.list(dir)) {
            entries = files.filter(StateDirectory::isEntry).sorted(
                    Comparator.comparingLong(ResultCache::modified).reversed()).toList();
        }
        long total = 0;
        for (Path entry : entries) {
            total += size(entry);
            if (total > maxTotalBytes) {
                Files.deleteIfExists(entry);
            }
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    public static Stats stats() {
        Path dir = directory();
        long entries = 0;
        long bytes = 0;
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(StateDirectory::isEntry).toList()) {
                    entries++;
                    bytes += size(file);
                }
            } catch (IOException e) {
                // shown as empty
            }
        }
        return new Stats(entries, bytes, HITS.get(), MISSES.get());
    }

    /** Removes every entry; the number removed. */
    public static long clear() {
        Path dir = directory();
        long removed = 0;
        if (dir == null || !Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                if (Files.deleteIfExists(file)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            // what could be removed was
        }
        return removed;
    }
}
