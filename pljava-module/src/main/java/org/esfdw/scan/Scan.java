package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.esfdw.config.ColumnSpec;
import org.esfdw.config.ScanDescription;
import org.esfdw.transport.HttpTransport;
import org.esfdw.types.PgType;

/**
 * One open foreign scan: reads hits from the source its description calls for (see ScanRequests.Route),
 * stops at the pushed-down limit without asking for more, and encodes each batch as a row batch. Any
 * failure releases the server-side context before it propagates. Opening sends the first request (so an
 * unreachable server or a missing index fails openScan, as before) and keeps its rows for the first batch.
 */
public final class Scan implements RowSource {
    private final HitSource source;
    private final RowBatchEncoder encoder;
    private final int fetchSize;
    private final long limit;
    private long remaining;
    private List<JsonNode> prefetched;
    private final ResultRecorder recorder;

    private Scan(HitSource source, RowBatchEncoder encoder, ScanDescription description) {
        this.source = source;
        this.encoder = encoder;
        this.fetchSize = description.fetchSize();
        this.limit = description.rowLimit();
        this.remaining = limit;
        this.recorder = description.offline().cache() ? new ResultRecorder(description) : null;
    }

    public static Scan open(ScanDescription description) {
        HttpTransport transport = new HttpTransport(description.connection());
        HitSource source = switch (ScanRequests.route(description)) {
            case COUNT -> new CountHitSource(transport, description);
            case AGGREGATE -> new AggregationHitSource(transport, description);
            case MGET -> new MgetHitSource(transport, description);
            case SEARCH -> new SearchHitSource(transport, description);
        };
        List<ColumnSpec> columns = description.pushdown().countOnly()
                ? List.of(new ColumnSpec("count", CountHitSource.COUNT_FIELD, PgType.INT8, false))
                : description.columns();
        List<ColumnReader> readers = columns.stream()
                .map(column -> new ColumnReader(column, description.index(),
                        description.pushdown().queryColumnNode())).toList();
        Scan scan = new Scan(source, new RowBatchEncoder(readers), description);
        try {
            scan.prefetched = scan.nextHits();
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
        return scan;
    }

    /** The next rows as a row batch; a batch of 0 rows once every document (or the limit) was returned. */
    @Override
    public byte[] nextBatch() {
        try {
            List<JsonNode> hits = prefetched != null ? prefetched : nextHits();
            prefetched = null;
            byte[] batch = encoder.encode(hits);
            if (recorder != null) {
                recorder.add(batch, hits.size());
            }
            return batch;
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private List<JsonNode> nextHits() {
        if (remaining == 0) {
            source.close();
            return List.of();
        }
        int size = (int) Math.min(fetchSize, remaining);
        source.followingCallSize((int) Math.min(fetchSize, remaining - size));
        List<JsonNode> hits = source.next(size);
        if (hits.size() > remaining) {
            hits = hits.subList(0, (int) remaining);
        }
        remaining -= hits.size();
        if (remaining == 0) {
            source.close();
        }
        return hits;
    }

    /** Starts over from the first document. */
    @Override
    public void rescan() {
        if (recorder != null) {
            recorder.restart();
        }
        prefetched = null;
        source.restart();
        remaining = limit;
    }

    /** Releases the server-side context; never throws. */
    @Override
    public void close() {
        source.close();
    }
}
