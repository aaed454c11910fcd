package org.esfdw.write;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.esfdw.EsFdwException;
import org.esfdw.config.WriteDescription;
import org.esfdw.transport.HttpTransport;

/**
 * The writes of the current PostgreSQL transaction, held until it commits (write_mode 'transaction'):
 * flushed at PRE_COMMIT in their order, dropped at abort, and the part made inside a savepoint dropped
 * when it rolls back. Reads by id consult it (documentsFor), so a transaction sees its own writes there.
 *
 * <p>Savepoints: actions are appended in order and tagged with their nesting level; a stack of segments
 * (level, first action) tells where each open subtransaction's actions start, so releasing one relabels
 * its segment and rolling one back truncates the list — both O(1) amortised, as PL/pgSQL exception blocks
 * open a subtransaction per row.
 *
 * <p>A document's actions are chained: the map holds its last one's position, and each action the
 * position of the document's previous one (-1: none) — no list per document, as most have one action.
 *
 * <p>One PostgreSQL backend runs one transaction at a time on one thread: a single instance serves it.
 */
final class PendingWrites {
    static final PendingWrites CURRENT = new PendingWrites();
    /** Most bytes of documents a transaction may hold; beyond, the statement fails (never an early flush). */
    static final long MAX_BYTES = 64L << 20;

    private final List<WriteAction> actions = new ArrayList<>();
    private final Deque<int[]> segments = new ArrayDeque<>();
    private final Map<DocumentKey, Integer> lastByDocument = new HashMap<>();
    private int[] previousOfDocument = new int[64];
    private final Map<String, List<Integer>> truncations = new HashMap<>();
    private final Map<String, Integer> actionsPerIndex = new HashMap<>();
    private final Map<WriteDescription, String> indexKeys = new IdentityHashMap<>();
    private long bytes;

    /** A document: its server and index (indexKey), and its id. */
    private record DocumentKey(String index, String id) {
    }

    /** "server\nindex", made once per writer's target. */
    private String indexKey(WriteAction action) {
        return indexKeys.computeIfAbsent(action.target(), WriteAction::indexKey);
    }

    private DocumentKey documentKey(WriteAction action) {
        return new DocumentKey(indexKey(action), action.id());
    }

    void add(List<WriteAction> added) {
        long addedBytes = 0;
        for (WriteAction action : added) {
            addedBytes += action.size();
        }
        if (bytes + addedBytes > MAX_BYTES) {
            throw new EsFdwException("54000", "this transaction's pending Elasticsearch writes exceed "
                    + (MAX_BYTES >> 20) + " MB", "They are held in memory until COMMIT.",
                    "Commit in smaller transactions, or set the table's write_mode to 'immediate' for bulk loads.");
        }
        for (WriteAction action : added) {
            append(action);
        }
        bytes += addedBytes;
    }

    private void append(WriteAction action) {
        boolean truncation = action.op() == WriteAction.Op.TRUNCATE;
        DocumentKey key = truncation ? null : documentKey(action);
        Integer earlier = truncation ? null : lastByDocument.get(key);
        if (earlier != null) {
            if (mergeInto(earlier, action)) {
                return;
            }
            // read through this transaction's own pending write, which moves the sequence number first
            action = action.unconditional();
        }
        int[] top = segments.peek();
        if (top == null || top[0] < action.nest()) {
            segments.push(new int[] {action.nest(), actions.size()});
        }
        int position = actions.size();
        actions.add(action);
        String index = indexKey(action);
        actionsPerIndex.merge(index, 1, Integer::sum);
        if (position == previousOfDocument.length) {
            previousOfDocument = Arrays.copyOf(previousOfDocument, position * 2);
        }
        previousOfDocument[position] = earlier == null ? -1 : earlier;
        if (truncation) {
            truncations.computeIfAbsent(index, k -> new ArrayList<>()).add(position);
        } else {
            lastByDocument.put(key, position);
        }
    }

    /**
     * Folds a second change of a document into its pending one when nothing can separate them — same
     * savepoint, no truncation of the index in between — so the document gets one action that applies
     * whole or not at all, under the version condition of the first (what the transaction read from
     * Elasticsearch). False when they must stay two actions.
     */
    private boolean mergeInto(int position, WriteAction next) {
        int[] top = segments.peek();
        WriteAction previous = actions.get(position);
        List<Integer> truncated = truncations.getOrDefault(indexKey(previous), List.of());
        if (top == null || top[0] != next.nest() || position < top[1]
                || (!truncated.isEmpty() && truncated.get(truncated.size() - 1) > position)) {
            return false;
        }
        WriteAction merged = ActionMerge.merge(previous, next);
        if (merged == null) {
            return false;
        }
        actions.set(position, merged);
        bytes += merged.size() - previous.size();
        return true;
    }

    boolean isEmpty() {
        return actions.isEmpty();
    }

    /** A subtransaction at level committed: its actions now belong to its parent. */
    void commitSubtransaction(int level) {
        int[] top = segments.peek();
        if (top == null || top[0] < level) {
            return;
        }
        segments.pop();
        int[] below = segments.peek();
        if (below == null || below[0] < level - 1) {
            segments.push(new int[] {level - 1, top[1]});
        }
    }

    /** A subtransaction at level rolled back: its actions (and those of its committed children) go. */
    void abortSubtransaction(int level) {
        while (!segments.isEmpty() && segments.peek()[0] >= level) {
            truncate(segments.pop()[1]);
        }
    }

    /** The transaction ended without committing, or its actions were sent. */
    void discard() {
        actions.clear();
        segments.clear();
        lastByDocument.clear();
        truncations.clear();
        actionsPerIndex.clear();
        indexKeys.clear();
        bytes = 0;
    }

    private void truncate(int from) {
        for (int i = actions.size() - 1; i >= from; i--) {
            WriteAction action = actions.remove(i);
            bytes -= action.size();
            String index = indexKey(action);
            actionsPerIndex.computeIfPresent(index, (k, n) -> n == 1 ? null : n - 1);
            if (action.op() == WriteAction.Op.TRUNCATE) {
                List<Integer> positions = truncations.get(index);
                positions.remove(positions.size() - 1);
                if (positions.isEmpty()) {
                    truncations.remove(index);
                }
            } else if (previousOfDocument[i] < 0) {
                lastByDocument.remove(documentKey(action));
            } else {
                lastByDocument.put(documentKey(action), previousOfDocument[i]);
            }
        }
    }

    /**
     * The pending actions on one document, oldest first, starting with the last pending TRUNCATE of its
     * index if there is one (only the actions after it count); empty when the transaction has not touched
     * the document.
     */
    List<WriteAction> documentsFor(String server, String index, String id) {
        String indexKey = WriteAction.indexKey(server, index);
        List<Integer> truncated = truncations.getOrDefault(indexKey, List.of());
        int lastTruncate = truncated.isEmpty() ? -1 : truncated.get(truncated.size() - 1);
        List<WriteAction> result = new ArrayList<>();
        Integer last = lastByDocument.get(new DocumentKey(indexKey, id));
        for (int position = last == null ? -1 : last; position > lastTruncate; position = previousOfDocument[position]) {
            result.add(actions.get(position));
        }
        if (lastTruncate >= 0) {
            result.add(actions.get(lastTruncate));
        }
        Collections.reverse(result);
        return result;
    }

    /** Whether the transaction has pending actions on an index (reads by id then consult them). */
    boolean touches(String server, String index) {
        return !actions.isEmpty() && actionsPerIndex.containsKey(WriteAction.indexKey(server, index));
    }

    /** Sends every action in order, then forgets them; on failure they are forgotten too (the transaction aborts). */
    void flush() {
        try {
            send(actions);
        } finally {
            discard();
        }
    }

    /** Sends actions in order: runs of one server's document actions as _bulk, truncations one by one. */
    static void send(List<WriteAction> list) {
        int start = 0;
        while (start < list.size()) {
            WriteAction first = list.get(start);
            if (first.op() == WriteAction.Op.TRUNCATE) {
                Truncation.run(new HttpTransport(first.target().connection()), first.target());
                start++;
                continue;
            }
            int end = start + 1;
            while (end < list.size() && list.get(end).op() != WriteAction.Op.TRUNCATE
                    && list.get(end).target().connection().equals(first.target().connection())) {
                end++;
            }
            BulkSender.send(new HttpTransport(first.target().connection()), list.subList(start, end));
            start = end;
        }
    }
}
