package org.esfdw.offline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where es_fdw keeps what all backends of a cluster share and what survives restarts: the circuit
 * breakers and the result cache, as files under the data directory (es_fdw/, set by C as the system
 * property esfdw.state.dir when it starts the JVM). Files, not shared memory: es_fdw is not preloaded. They
 * are written atomically (a temporary file renamed), never through WAL, so they work on a standby and in
 * read-only transactions. Without the property (unit tests, tools) nothing is shared or cached.
 */
public final class StateDirectory {
    public static final String PROPERTY = "esfdw.state.dir";

    private StateDirectory() {
    }

    /** The directory, or null when es_fdw runs outside a PostgreSQL backend. */
    public static Path root() {
        String dir = System.getProperty(PROPERTY);
        return dir == null || dir.isEmpty() ? null : Path.of(dir);
    }

    /**
     * Writes a state file so that a reader in any backend sees the old or the new content, whole: to a
     * temporary file of this process (".tmp", which listings skip), then renamed over it.
     */
    static void writeAtomically(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A state file, not another process's write in progress. */
    static boolean isEntry(Path file) {
        return !file.getFileName().toString().endsWith(".tmp");
    }

    /** A file name for any key: its SHA-256, hex. */
    static String fileName(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
