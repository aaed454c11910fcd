package org.esfdw.write;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.esfdw.EsFdwException;
import org.esfdw.transport.EsResponse;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.PendingRequest;

/**
 * Sends actions of one server with _bulk, in requests of at most batch_size actions and max_bulk_bytes,
 * each document's in their order (Elasticsearch applies a request's actions on a document in order), two
 * requests at a time for large sends (see lanes). Items refused for a
 * full write queue are sent again, up to RETRIES times with a growing pause; any other failed item fails
 * the whole send with an error naming it.
 */
final class BulkSender {
    static final int RETRIES = 5;
    static final int LANES = 2;
    static final int LANE_MIN_ACTIONS = 1_000;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);

    private BulkSender() {
    }

    static void send(HttpTransport transport, List<WriteAction> actions) {
        sendInLanes(transport, actions, (part, response) -> finish(transport, part, response));
    }

    /**
     * Sends the actions in requests of at most batch_size actions and max_bulk_bytes, each lane's requests
     * in order and the lanes' at once; each request's 2xx answer goes to onAnswer with its actions.
     */
    static void sendInLanes(HttpTransport transport, List<WriteAction> actions,
            BiConsumer<List<WriteAction>, EsResponse> onAnswer) {
        List<ArrayDeque<List<WriteAction>>> lanes = new ArrayList<>();
        for (List<WriteAction> lane : lanes(actions)) {
            lanes.add(new ArrayDeque<>(chunks(lane)));
        }
        while (lanes.stream().anyMatch(lane -> !lane.isEmpty())) {
            List<List<WriteAction>> parts = new ArrayList<>();
            List<PendingRequest> sent = new ArrayList<>();
            for (ArrayDeque<List<WriteAction>> lane : lanes) {
                if (!lane.isEmpty()) {
                    parts.add(lane.poll());
                    sent.add(transport.start(BulkBody.request(parts.get(parts.size() - 1))));
                }
            }
            try {
                for (int i = 0; i < sent.size(); i++) {
                    onAnswer.accept(parts.get(i), transport.await(sent.get(i)));
                }
            } finally {
                sent.forEach(PendingRequest::cancel);
            }
        }
    }

    /**
     * The actions split by document id into lanes whose requests are sent at once: Elasticsearch indexes
     * concurrent bulk requests on several write threads, while one request's items on one shard go through
     * one. A document's actions stay in one lane, in their order. Small sends use one lane.
     */
    private static List<List<WriteAction>> lanes(List<WriteAction> actions) {
        int count = actions.size() >= 2 * LANE_MIN_ACTIONS ? LANES : 1;
        List<List<WriteAction>> lanes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            lanes.add(new ArrayList<>());
        }
        for (WriteAction action : actions) {
            lanes.get(Math.floorMod(action.id().hashCode(), count)).add(action);
        }
        return lanes;
    }

    /** Requests of at most batch_size actions and max_bulk_bytes. */
    private static List<List<WriteAction>> chunks(List<WriteAction> actions) {
        List<List<WriteAction>> chunks = new ArrayList<>();
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
            chunks.add(actions.subList(start, end));
            start = end;
        }
        return chunks;
    }

    /** A sent request's answer: failures thrown, a full queue's rejections retried. */
    private static void finish(HttpTransport transport, List<WriteAction> part, EsResponse response) {
        BulkResult result = BulkResult.parse(response.body(), part);
        if (result.failed()) {
            throw result.error(transport.connection().displayUrl(), part.size() - result.retryable.size() - 1);
        }
        if (!result.retryable.isEmpty()) {
            List<WriteAction> again = new ArrayList<>();
            for (int position : result.retryable) {
                again.add(part.get(position));
            }
            HttpTransport.pause(FIRST_PAUSE, "a retry of _bulk at " + transport.connection().displayUrl());
            sendOne(transport, again);
        }
    }

    private static void sendOne(HttpTransport transport, List<WriteAction> batch) {
        List<WriteAction> pending = batch;
        Duration pause = FIRST_PAUSE;
        for (int attempt = 0; ; attempt++) {
            EsResponse response = transport.send(BulkBody.request(pending));
            BulkResult result = BulkResult.parse(response.body(), pending);
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
