package org.esfdw.scan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.config.AggregateSpec;
import org.esfdw.config.ColumnSpec;
import org.esfdw.config.OfflineSettings;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.offline.ResultCache;
import org.esfdw.offline.Warnings;
import org.esfdw.transport.ServerUnreachable;
import org.esfdw.types.PgType;

/**
 * What a scan answers when its server is unreachable and offline_mode is not 'error': the last good
 * result from the result cache ('cache', when there is a fresh one), else an empty result — no rows; for a
 * count(*) the count 0, for aggregates without GROUP BY their one row over no documents — each with a
 * WARNING naming the server, why it is unreachable and what is returned instead.
 */
public final class OfflineAnswers {
    private OfflineAnswers() {
    }

    public static RowSource answer(ScanDescription scan, ServerUnreachable failure) {
        OfflineSettings settings = scan.offline();
        String why = failure.reason();
        if (settings.mode() == OfflineSettings.Mode.CACHE) {
            ResultCache.Entry entry = ResultCache.read(scan.cacheKey(), settings.ttlMs());
            if (entry != null) {
                Warnings.add(why + "; offline_mode 'cache': returning the result cached at "
                        + java.time.Instant.ofEpochMilli(entry.writtenMillis()) + " (" + entry.rows() + " rows)");
                return new ReplayedResult(entry.batches());
            }
            Warnings.add(why + "; offline_mode 'cache': no cached result of this query, returning no rows");
        } else {
            Warnings.add(why + "; offline_mode 'empty': returning no rows");
        }
        return new ReplayedResult(emptyResult(scan));
    }

    /** The batches of a result over no documents. */
    private static List<byte[]> emptyResult(ScanDescription scan) {
        List<byte[]> batches = new ArrayList<>();
        if (scan.pushdown().countOnly()) {
            ObjectNode hit = Json.object().put("_id", "");
            hit.putObject("_source").put(CountHitSource.COUNT_FIELD, 0);
            List<ColumnReader> readers = List.of(new ColumnReader(
                    new ColumnSpec("count", CountHitSource.COUNT_FIELD, PgType.INT8, false), scan.index()));
            batches.add(new RowBatchEncoder(readers).encode(List.of(hit)));
        } else if (scan.aggregate() != null && scan.aggregate().groupBy().isEmpty()) {
            ObjectNode hit = Json.object().put("_id", "");
            ObjectNode source = hit.putObject("_source");
            for (AggregateSpec.Output output : scan.aggregate().outputs()) {
                if (output.kind().equals("count") || output.kind().equals("count_field")) {
                    source.put(output.name(), 0);
                } else {
                    source.putNull(output.name());
                }
            }
            List<ColumnReader> readers = scan.columns().stream()
                    .map(column -> new ColumnReader(column, scan.index())).toList();
            batches.add(new RowBatchEncoder(readers).encode(List.of(hit)));
        }
        return batches;
    }
}
