package org.esfdw.scan;

import java.util.ArrayList;
import java.util.List;
import org.esfdw.config.ScanDescription;
import org.esfdw.offline.ResultCache;

/**
 * Keeps the batches of a scan of a table with cache 'on' and, once the scan has returned its whole result
 * (the empty batch), stores them in the result cache. A result beyond max_rows, or a quarter of the cache's
 * size, is not kept; a scan PostgreSQL stops early (a LIMIT it applies itself) stores nothing.
 */
final class ResultRecorder {
    private final ScanDescription scan;
    private final List<byte[]> batches = new ArrayList<>();
    private long rows;
    private long bytes;
    private boolean dropped;

    ResultRecorder(ScanDescription scan) {
        this.scan = scan;
    }

    void add(byte[] batch, int batchRows) {
        if (dropped) {
            return;
        }
        if (batchRows == 0) {
            ResultCache.write(scan.cacheKey(), batches, rows, scan.offline().maxBytes());
            dropped = true;
            return;
        }
        rows += batchRows;
        bytes += batch.length;
        if (rows > scan.offline().maxRows() || bytes > scan.offline().maxBytes() / 4) {
            dropped = true;
            batches.clear();
            return;
        }
        batches.add(batch);
    }

    void restart() {
        batches.clear();
        rows = 0;
        bytes = 0;
        dropped = false;
    }
}
