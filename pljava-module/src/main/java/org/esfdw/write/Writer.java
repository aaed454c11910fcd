package org.esfdw.write;

import java.util.ArrayList;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.cache.TimedCache;
import org.esfdw.config.WriteDescription;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.IndexPath;

/**
 * The writes of one statement to one foreign table. In write_mode 'transaction' its actions join the
 * transaction's pending writes (sent at COMMIT); in 'immediate' they are sent whenever batch_size of them
 * are buffered, and the rest when the statement ends.
 *
 * <p>Before the first write the index must exist (cached per server and index for a minute), unless the
 * table allows auto_create: a typo in the index option must not silently create a new index.
 */
public final class Writer {
    private static final TimedCache<String, Boolean> EXISTING_INDICES = new TimedCache<>(java.time.Duration.ofMinutes(1));

    private final WriteDescription target;
    private final HttpTransport transport;
    private final List<WriteAction> buffered = new ArrayList<>();
    private boolean checked;

    public Writer(WriteDescription target) {
        this.target = target;
        this.transport = new HttpTransport(target.connection());
    }

    /** Adds a batch of actions encoded by C (see ActionDecoder). */
    public void write(byte[] batch) {
        List<WriteAction> actions = ActionDecoder.decode(batch, target);
        for (WriteAction action : actions) {
            if (BulkBody.size(action) > target.maxBulkBytes()) {
                throw new EsFdwException("54000", "document \"" + action.id() + "\" for index \"" + target.index()
                        + "\" is " + action.doc().length + " bytes, more than the table's bulk_max_mb allows",
                        null, "Raise bulk_max_mb (Elasticsearch's http.max_content_length caps it, 100 MB by default).");
            }
        }
        requireIndex();
        if (!target.immediate()) {
            PendingWrites.CURRENT.add(actions);
            return;
        }
        buffered.addAll(actions);
        if (buffered.size() >= target.batchSize()) {
            sendBuffered();
        }
    }

    /**
     * Table sync: sends a batch of versioned actions now, whatever the write mode; the items not done, as
     * Delivery describes them.
     */
    public byte[] deliver(byte[] batch) {
        List<WriteAction> actions = ActionDecoder.decode(batch, target);
        HttpTransport probe = new HttpTransport(target.connection(), true);
        requireIndex(probe);
        return Delivery.send(probe, actions);
    }

    /** TRUNCATE: pending until commit, or done now in write_mode 'immediate'. */
    public void truncate(int nest) {
        requireIndex();
        WriteAction action = new WriteAction(WriteAction.Op.TRUNCATE, target, null, null, null, nest);
        if (target.immediate()) {
            Truncation.run(transport, target);
        } else {
            PendingWrites.CURRENT.add(List.of(action));
        }
    }

    /** The statement is done: in 'immediate' mode what is buffered is sent now. */
    public void finish() {
        if (!buffered.isEmpty()) {
            sendBuffered();
        }
    }

    private void sendBuffered() {
        try {
            PendingWrites.send(buffered);
        } finally {
            buffered.clear();
        }
    }

    private void requireIndex() {
        requireIndex(transport);
    }

    private void requireIndex(HttpTransport transport) {
        if (checked || target.autoCreate()) {
            return;
        }
        String key = target.connection().displayUrl() + '\n' + target.index();
        boolean exists = EXISTING_INDICES.get(key,
                k -> transport.sendAllowing(EsRequest.head(IndexPath.of(target.index())), 404).status() != 404,
                Boolean::booleanValue);
        if (!exists) {
            throw new EsFdwException(SqlState.TABLE_NOT_FOUND, "index \"" + target.index()
                    + "\" does not exist on Elasticsearch at " + target.connection().displayUrl(),
                    "es_fdw does not let a write create an index unless the table allows it.",
                    "Create the index with its mapping, or set the foreign table option auto_create 'true'.");
        }
        checked = true;
    }

    /** Called by C at the transaction's events (docs/boundary.md, "Writes"). */
    public static void transactionEvent(int event, int level) {
        switch (event) {
            case 0 -> PendingWrites.CURRENT.flush();
            case 1 -> PendingWrites.CURRENT.discard();
            case 2 -> PendingWrites.CURRENT.commitSubtransaction(level);
            case 3 -> PendingWrites.CURRENT.abortSubtransaction(level);
            default -> throw new IllegalArgumentException("unknown transaction event " + event);
        }
    }
}
