package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.esfdw.EsFdwException;
import org.esfdw.bridge.Bridge;
import org.esfdw.bridge.InterruptedByPostgres;
import org.esfdw.bridge.PgInterrupts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Servers that are not there or never answer: no Elasticsearch needed, real sockets. */
class FailureIT {
    private static final String ID = column("id", "_id", "text", false);

    @AfterEach
    void restoreInterruptPoller() {
        PgInterrupts.setPoller(null);
    }

    @Test
    void closedPortIsUnableToConnectNamingTheUrl() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();
        EsFdwException error = assertThrows(EsFdwException.class,
                () -> Bridge.openScan(utf8(TestIndex.scanJson(url, "any", 10, ID))));
        assertEquals("HV00N", error.sqlstate());
        assertTrue(error.getMessage().startsWith("could not connect to Elasticsearch at " + url + ": "),
                error.getMessage());
        assertEquals("Check the url (or host and port) option of the foreign server and that Elasticsearch is running"
                + " there.", error.hint());
    }

    @Test
    void postgresCancelStopsTheWaitWithinASecond() throws IOException {
        try (SilentServer server = new SilentServer()) {
            long start = System.nanoTime();
            PgInterrupts.setPoller(() -> System.nanoTime() - start > 200_000_000L);
            assertThrows(InterruptedByPostgres.class,
                    () -> Bridge.openScan(utf8(TestIndex.scanJson(server.url(), "any", 10, ID))));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis >= 200 && elapsedMillis < 1000, "cancelled after " + elapsedMillis + " ms");
            assertEquals(1, server.accepted.size(), "the request reached the server");
        }
    }

    @Test
    void silentServerTimesOutNamingTheUrl() throws IOException {
        try (SilentServer server = new SilentServer()) {
            String scan = TestIndex.scanJson(server.url(), "any", 10, ID).replace("\"timeout_ms\":10000",
                    "\"timeout_ms\":300");
            long start = System.nanoTime();
            EsFdwException error = assertThrows(EsFdwException.class, () -> Bridge.openScan(utf8(scan)));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            // a server that does not answer is unreachable (offline mode and the circuit breaker act on it)
            assertTrue(error instanceof org.esfdw.transport.ServerUnreachable);
            assertEquals("HV00N", error.sqlstate());
            assertTrue(error.getMessage().startsWith("no answer from Elasticsearch at " + server.url() + " to POST /any/_search"),
                    error.getMessage());
            assertTrue(elapsedMillis < 2000, "gave up after " + elapsedMillis + " ms");
            assertEquals("Raise the timeout option of the foreign server or table, or check the server's load.",
                    error.hint());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Accepts connections and never answers, like a hung server. */
    private static final class SilentServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentServer() throws IOException {
            socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::acceptForever, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }

        private void acceptForever() {
            try {
                while (true) {
                    accepted.add(socket.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket connection : accepted) {
                connection.close();
            }
        }
    }
}
