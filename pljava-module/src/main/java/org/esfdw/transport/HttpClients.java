package org.esfdw.transport;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.esfdw.config.ConnectionOptions;
import org.esfdw.config.ConnectionOptions.Tls;

/**
 * The HTTP clients es_fdw sends with, each kept for the life of the JVM so its pooled connections serve
 * every later scan: one for plain http, and one per distinct TLS setting for https (a client's SSLContext
 * fixes whom it trusts and which certificate it presents). A setting whose PEM files change on disk (a
 * renewed certificate) gets a new client at the next scan.
 */
final class HttpClients {
    /** Daemon threads: no Java thread may hold the PostgreSQL backend up. Shared by every client. */
    private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new DaemonThreads("es_fdw-http"));
    private static final Map<Duration, HttpClient> PLAIN = new ConcurrentHashMap<>();
    private static final Map<Key, Entry> HTTPS = new ConcurrentHashMap<>();

    /** What an https client is built from: whom it trusts, and how long it waits for a connection. */
    private record Key(Tls tls, Duration connectTimeout) {
    }

    /** A client and the modification times of the files it was built from. */
    private record Entry(List<Long> fileStamps, HttpClient client) {
    }

    private HttpClients() {
    }

    static HttpClient forConnection(ConnectionOptions connection) {
        Duration connectTimeout = connection.connectTimeout();
        if (!connection.isHttps()) {
            return PLAIN.computeIfAbsent(connectTimeout, timeout -> builder(timeout).build());
        }
        Tls tls = connection.tls();
        List<Long> stamps = fileStamps(tls);
        return HTTPS.compute(new Key(tls, connectTimeout), (key, known) ->
                known != null && known.fileStamps().equals(stamps) ? known
                        : new Entry(stamps, https(TlsContexts.create(tls, connection.displayUrl()), tls.verify(),
                                connectTimeout))).client();
    }

    /**
     * A verifying client asks for the HTTPS endpoint identification explicitly: java.net.http keeps a
     * client's own setting even when its JVM-wide switch is off, so the JDK's host check runs besides
     * ServerTrust's own. A client that trusts everything leaves it to TrustEverything, which ignores it.
     */
    private static HttpClient https(SSLContext context, boolean verify, Duration connectTimeout) {
        HttpClient.Builder builder = builder(connectTimeout).sslContext(context);
        if (verify) {
            SSLParameters parameters = context.getDefaultSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            builder.sslParameters(parameters);
        }
        return builder.build();
    }

    private static HttpClient.Builder builder(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(EXECUTOR);
    }

    /** -1 for a file that cannot be read: building the client then reports it. */
    private static List<Long> fileStamps(Tls tls) {
        List<Long> stamps = new ArrayList<>();
        Stream.of(tls.caFile(), tls.clientCert(), tls.clientKey()).filter(file -> file != null).forEach(file -> {
            try {
                stamps.add(Files.getLastModifiedTime(Path.of(file)).toMillis());
            } catch (IOException | InvalidPathException e) {
                stamps.add(-1L);
            }
        });
        return stamps;
    }
}
