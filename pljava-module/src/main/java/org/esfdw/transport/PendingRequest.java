package org.esfdw.transport;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A request already sent whose answer is awaited later (HttpTransport.start/await): the next page is
 * asked for while PostgreSQL still consumes the current one. Cancelling abandons the answer.
 */
public final class PendingRequest {
    final EsRequest request;
    final int host;
    final CompletableFuture<HttpResponse<byte[]>> answer;

    PendingRequest(EsRequest request, int host, CompletableFuture<HttpResponse<byte[]>> answer) {
        this.request = request;
        this.host = host;
        this.answer = answer;
    }

    public void cancel() {
        answer.cancel(true);
    }
}
