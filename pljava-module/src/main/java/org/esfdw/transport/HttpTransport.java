package org.esfdw.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.esfdw.EsFdwException;
import org.esfdw.config.ConnectionOptions;
import org.esfdw.offline.CircuitBreaker;
import org.esfdw.json.Json;

/**
 * The one way es_fdw talks to a server: JSON over java.net.http, plain application/json (understood by
 * Elasticsearch 7.10 to 9.x and OpenSearch), the connection's credentials as an Authorization header,
 * https with the connection's TLS settings, every wait interruptible by PostgreSQL and bounded by the
 * connection timeout. Non-2xx answers become EsFdwExceptions.
 */
public final class HttpTransport {
    /** How long to wait past the request timeout before giving up on the JDK noticing it. */
    private static final Duration DEADLINE_GRACE = Duration.ofSeconds(1);
    /** Per server with several hosts: the index of the host that answered last. */
    private static final Map<String, Integer> PREFERRED_HOST = new ConcurrentHashMap<>();

    private final ConnectionOptions connection;
    /** Shared with every transport of the same TLS settings, so connections are reused across scans. */
    private final HttpClient client;
    /** The Authorization header's value, null without credentials; a secret, never shown. */
    private final String authorization;
    /** Sent even while the server's circuit breaker is open (a retrying caller that paces itself). */
    private final boolean probe;

    /** Fails (EsFdwException) when the connection's credentials or TLS settings cannot be used. */
    public HttpTransport(ConnectionOptions connection) {
        this(connection, false);
    }

    /**
     * probe: requests go out even while the server's circuit breaker is open, and their outcome opens or
     * closes it as any request's does (table sync's worker, which backs off by itself, is the probe that
     * closes the breaker as soon as the server is back).
     */
    public HttpTransport(ConnectionOptions connection, boolean probe) {
        this.connection = connection;
        this.client = HttpClients.forConnection(connection);
        this.authorization = AuthHeaders.authorization(connection);
        this.probe = probe;
    }

    public ConnectionOptions connection() {
        return connection;
    }

    /** Sends the request and returns its 2xx answer; any other status or failure throws EsFdwException. */
    public EsResponse send(EsRequest request) {
        EsResponse response = exchange(request);
        if (!response.isSuccess()) {
            throw TransportErrors.fromResponse(connection, request, response);
        }
        return response;
    }

    /** Sends the request and returns its 2xx answer or one with the expected status; else throws. */
    public EsResponse sendAllowing(EsRequest request, int expectedStatus) {
        EsResponse response = exchange(request);
        if (!response.isSuccess() && response.status() != expectedStatus) {
            throw TransportErrors.fromResponse(connection, request, response);
        }
        return response;
    }

    /** Waits for the given time, as interruptibly as a request (a retry's back-off). */
    public static void pause(Duration time, String whatFor) {
        try {
            InterruptibleWait.await(new CompletableFuture<Void>().completeOnTimeout(null, time.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS), time.plusSeconds(1), whatFor);
        } catch (ExecutionException | TimeoutException e) {
            // the pause is over either way
        }
    }

    /** Sends the request and returns whatever status it answers with. */
    public EsResponse exchange(EsRequest request) {
        return awaitAnswer(start(request));
    }

    /**
     * Sends the request now; its answer is taken later with await (or abandoned with cancel). While the
     * server's circuit breaker is open, fails at once instead (ServerUnreachable).
     */
    public PendingRequest start(EsRequest request) {
        refuseWhileBreakerOpen(request);
        return send(request, currentHost());
    }

    private PendingRequest send(EsRequest request, int host) {
        return new PendingRequest(request, host,
                client.sendAsync(httpRequest(request, connection.timeout(), host), BodyHandlers.ofByteArray()));
    }

    /** The host a server's requests go to: the last one that answered (hosts are tried in order). */
    private int currentHost() {
        return connection.alternates().isEmpty() ? 0 : PREFERRED_HOST.getOrDefault(connection.displayUrl(), 0);
    }

    /** The 2xx answer of a started request, waiting interruptibly; any other status or failure throws. */
    public EsResponse await(PendingRequest pending) {
        EsResponse response = awaitAnswer(pending);
        if (!response.isSuccess()) {
            throw TransportErrors.fromResponse(connection, pending.request, response);
        }
        return response;
    }

    /**
     * The answer of a request. A server with several hosts (url 'http://a:9200,http://b:9200') fails over:
     * a request that could not even connect is sent to the next host, each at most once, before the server
     * counts as unreachable; the host that answered serves the following requests.
     */
    private EsResponse awaitAnswer(PendingRequest pending) {
        EsRequest request = pending.request;
        List<URI> hosts = connection.hosts();
        List<String> failures = new ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            String waitingFor = request.method() + " " + ConnectionOptions.display(hosts.get(pending.host))
                    + request.pathAndQuery();
            EsFdwException failure;
            try {
                HttpResponse<byte[]> response = InterruptibleWait.await(pending.answer,
                        connection.timeout().plus(DEADLINE_GRACE), waitingFor);
                EsResponse answer = new EsResponse(response.statusCode(), response.headers(), response.body());
                if (TransportErrors.meansUnavailable(answer)) {
                    CircuitBreaker.failure(connection.displayUrl(), "HTTP " + answer.status());
                } else {
                    CircuitBreaker.success(connection.displayUrl());
                    if (hosts.size() > 1) {
                        PREFERRED_HOST.put(connection.displayUrl(), pending.host);
                    }
                }
                return answer;
            } catch (ExecutionException e) {
                if (hosts.size() > 1 && TransportErrors.failedToConnect(e.getCause()) && attempt + 1 < hosts.size()) {
                    failures.add(ConnectionOptions.display(hosts.get(pending.host)) + ": "
                            + TransportErrors.reason(e.getCause()));
                    pending = send(request, (pending.host + 1) % hosts.size());
                    continue;
                }
                failure = TransportErrors.fromFailure(connection, request, e.getCause());
            } catch (TimeoutException e) {
                failure = TransportErrors.timedOut(connection, request, e);
            }
            if (failure instanceof ServerUnreachable && !failures.isEmpty()) {
                failures.add(ConnectionOptions.display(hosts.get(pending.host)) + ": "
                        + (failure.getCause() != null ? TransportErrors.reason(failure.getCause()) : failure.getMessage()));
                failure = new ServerUnreachable(connection.displayUrl(), "could not connect to any host of "
                        + "Elasticsearch at " + connection.displayUrl(), String.join("; ", failures),
                        failure.hint(), failure);
            }
            if (failure instanceof ServerUnreachable) {
                CircuitBreaker.failure(connection.displayUrl(), failure.getMessage());
            }
            throw failure;
        }
    }

    /**
     * While the breaker is open the request is not sent: the error repeats the last failure's message (so
     * it reads the same as when the server was tried) and says in its detail that it was not retried.
     */
    private void refuseWhileBreakerOpen(EsRequest request) {
        if (probe) {
            return;
        }
        CircuitBreaker.State state = CircuitBreaker.state(connection.displayUrl());
        long now = System.currentTimeMillis();
        if (state != null && state.open(now)) {
            throw new ServerUnreachable(connection.displayUrl(), state.lastError(), "Not sent: " + request.line()
                    + ". es_fdw's circuit breaker for this server is open until "
                    + CircuitBreaker.instant(state.openUntilMillis()) + " after " + state.failures()
                    + " failures since " + CircuitBreaker.instant(state.sinceMillis()) + ".",
                    "es_status() shows the breaker; a request after that time tries the server again.", null);
        }
    }

    /**
     * Sends a clean-up request (releasing a point in time or scroll) without ever throwing or polling
     * PostgreSQL, waiting at most maxWait; a slow answer completes on a daemon thread.
     */
    public void sendQuietly(EsRequest request, Duration maxWait) {
        try {
            InterruptibleWait.awaitQuietly(
                    client.sendAsync(httpRequest(request, maxWait), BodyHandlers.discarding()), maxWait);
        } catch (RuntimeException e) {
            // best effort by contract: the server expires what it keeps after keep_alive anyway
        }
    }

    private HttpRequest httpRequest(EsRequest request, Duration timeout) {
        return httpRequest(request, timeout, currentHost());
    }

    private HttpRequest httpRequest(EsRequest request, Duration timeout, int host) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                ConnectionOptions.resolve(connection.hosts().get(host), request.pathAndQuery()))
                .timeout(timeout)
                .header("Accept", "application/json")
                .method(request.method(), request.ndjson() != null ? BodyPublishers.ofByteArray(request.ndjson())
                        : request.body() == null ? BodyPublishers.noBody()
                        : BodyPublishers.ofByteArray(Json.utf8(request.body())));
        if (request.ndjson() != null) {
            builder.header("Content-Type", "application/x-ndjson");
        } else if (request.body() != null) {
            builder.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }
}
