package org.esfdw.write;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.transport.EsResponse;
import org.esfdw.transport.HttpTransport;

/**
 * Sends actions of one server with _bulk, in requests of at most batch_size actions and max_bulk_bytes,
 * in their order (Elasticsearch applies a request's actions on a document in order). Items refused for a
 * full write queue are sent again, up to RETRIES times with a growing pause; any other failed item fails
 * the whole send with an error naming it.
 */
final class BulkSender {
    static final int RETRIES = 5;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

    private BulkSender() {
    }

    static void send(HttpTransport transport, List<WriteAction> actions) {
        int start = 0;
        while (start < actions.size()) {
            int end = start;
            long bytes = 0;
            int batchSize = actions.get(start).target().batchSize();
            long maxBytes = actions.get(start).target().maxBulkBytes();
            while (end < actions.size() && end - start < batchSize
                    && (end == start || bytes + BulkBody.size(actions.get(end)) <= maxBytes)) {
                bytes += BulkBody.size(actions.get(end));
                end++;
            }
            sendOne(transport, actions.subList(start, end));
            start = end;
        }
    }

    private static void sendOne(HttpTransport transport, List<WriteAction> batch) {
        List<WriteAction> pending = batch;
        Duration pause = FIRST_PAUSE;
        for (int attempt = 0; ; attempt++) {
            EsResponse response = transport.send(BulkBody.request(pending));
            BulkResult result = BulkResult.parse(response.body());
            if (result.failed()) {
                throw result.error(transport.connection().displayUrl(),
                        pending.size() - result.retryable.size() - 1);
            }
            if (result.retryable.isEmpty()) {
                return;
            }
            if (attempt == RETRIES) {
                throw new EsFdwException("53400", "Elasticsearch at " + transport.connection().displayUrl()
                        + " kept rejecting writes: its write queue is full", result.retryable.size() + " of "
                        + pending.size() + " actions were still rejected after " + RETRIES + " retries.",
                        "Retry later, or lower the table's batch_size.");
            }
            List<WriteAction> again = new ArrayList<>();
            for (int position : result.retryable) {
                again.add(pending.get(position));
            }
            pending = again;
            HttpTransport.pause(pause, "a retry of _bulk at " + transport.connection().displayUrl());
            pause = pause.multipliedBy(2);
        }
    }
}
