package org.esfdw.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP proxy in front of a real server that records every request line ("POST /i/_search"),
 * so tests can assert how many round trips a scan took on the wire.
 */
final class CountingProxy implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final String target;
    private final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();

    CountingProxy(String target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The recorded request lines without their query strings. */
    List<String> paths() {
        return requests.stream().map(line -> line.replaceFirst("\\?.*", "")).toList();
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String pathAndQuery = exchange.getRequestURI().toString();
        requests.add(exchange.getRequestMethod() + " " + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + pathAndQuery))
                .method(exchange.getRequestMethod(), body.length == 0 ? BodyPublishers.noBody()
                        : BodyPublishers.ofByteArray(body));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> response = CLIENT.send(request.build(), BodyHandlers.ofByteArray());
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            response.headers().firstValue("X-Elastic-Product")
                    .ifPresent(product -> exchange.getResponseHeaders().add("X-Elastic-Product", product));
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
