package org.esfdw.offline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One breaker per server URL, shared by every backend through a small file (StateDirectory/breaker): after
 * a failure that means the server is unreachable, the server is "down" for a short interval that doubles
 * with each further failure (FIRST_INTERVAL_MS up to MAX_INTERVAL_MS), and requests fail at once without
 * waiting for a timeout. The first request after the interval is the probe: success closes the breaker
 * (removes the file), failure opens it for longer.
 *
 * <p>File: "openUntilMillis failures sinceMillis", then the URL, then the last error, one per line.
 * A file that cannot be read or parsed counts as no breaker (never an error, never a crash).
 */
public final class CircuitBreaker {
    static final long FIRST_INTERVAL_MS = 500;
    static final long MAX_INTERVAL_MS = 30_000;

    /** A breaker's state, for es_status(). */
    public record State(String server, long openUntilMillis, int failures, long sinceMillis, String lastError) {
        public boolean open(long now) {
            return openUntilMillis > now;
        }
    }

    private CircuitBreaker() {
    }

    private static Path file(String server) {
        Path root = StateDirectory.root();
        return root == null ? null : root.resolve("breaker").resolve(StateDirectory.fileName(server));
    }

    /** The breaker of a server, or null when it is closed. */
    public static State state(String server) {
        Path file = file(server);
        // asked before every request: a stat, not a read failing with an exception, when closed (no file)
        return file == null || !Files.exists(file) ? null : read(file);
    }

    /** Every breaker that has recorded a failure. */
    public static List<State> all() {
        List<State> states = new ArrayList<>();
        Path root = StateDirectory.root();
        if (root == null || !Files.isDirectory(root.resolve("breaker"))) {
            return states;
        }
        try (Stream<Path> files = Files.list(root.resolve("breaker"))) {
            files.filter(StateDirectory::isEntry).forEach(f -> {
                State state = read(f);
                if (state != null) {
                    states.add(state);
                }
            });
        } catch (IOException e) {
            // an unreadable directory shows as no breaker
        }
        return states;
    }

    private static State read(Path file) {
        try {
            String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", 3);
            String[] numbers = lines[0].trim().split(" ");
            return new State(lines.length > 1 ? lines[1] : "?", Long.parseLong(numbers[0]),
                    Integer.parseInt(numbers[1]), Long.parseLong(numbers[2]), lines.length > 2 ? lines[2] : "");
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A failure meaning the server is unreachable: open (or re-open, for longer) its breaker. */
    public static void failure(String server, String error) {
        Path file = file(server);
        if (file == null) {
            return;
        }
        long now = System.currentTimeMillis();
        State previous = read(file);
        int failures = previous == null ? 1 : Math.min(previous.failures() + 1, 60);
        long interval = Math.min(MAX_INTERVAL_MS, FIRST_INTERVAL_MS << Math.min(failures - 1, 16));
        long since = previous == null ? now : previous.sinceMillis();
        write(file, (now + interval) + " " + failures + " " + since + "\n" + server + "\n"
                + error.replace('\n', ' '));
    }

    /** An answer came: close the breaker. */
    public static void success(String server) {
        Path file = file(server);
        if (file != null && Files.exists(file)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // another backend may have closed it at the same moment
            }
        }
    }

    /** Closes every breaker (es_breaker_reset(): the DBA knows the servers are back); how many were open. */
    public static long resetAll() {
        long closed = 0;
        for (State state : all()) {
            success(state.server());
            closed++;
        }
        return closed;
    }

    private static void write(Path file, String content) {
        try {
            StateDirectory.writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // without its file the breaker stays closed: requests are tried, never wrongly refused
        }
    }

    /** "since 12:00:01Z" for messages. */
    public static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
