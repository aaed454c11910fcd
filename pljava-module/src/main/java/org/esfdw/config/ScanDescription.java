package org.esfdw.config;

import java.time.Duration;
import java.util.List;
import org.esfdw.paging.ShardRules;
import org.esfdw.query.Pushdown;

/**
 * A parsed scan description (docs/boundary.md): what to read, from where, in which columns, and what C
 * pushed down (condition, order, limit, count only).
 */
public record ScanDescription(ConnectionOptions connection, String index, int fetchSize, Duration keepAlive,
                              boolean allowPartialResults, List<ColumnSpec> columns, Pushdown pushdown,
                              AggregateSpec aggregate, OfflineSettings offline, String cacheKey) {

    public ScanDescription(ConnectionOptions connection, String index, int fetchSize, Duration keepAlive,
            boolean allowPartialResults, List<ColumnSpec> columns, Pushdown pushdown, AggregateSpec aggregate) {
        this(connection, index, fetchSize, keepAlive, allowPartialResults, columns, pushdown, aggregate,
                OfflineSettings.DEFAULTS, null);
    }

    public ScanDescription {
        columns = List.copyOf(columns);
    }

    /** The most rows the scan returns: the pushed-down limit, or Long.MAX_VALUE. */
    public long rowLimit() {
        return pushdown.limit().orElse(Long.MAX_VALUE);
    }

    /** The size of the first page: fetch_size, or the limit when that is smaller. */
    public int firstPageSize() {
        return (int) Math.min(fetchSize, rowLimit());
    }

    /** The distinct _source fields the columns read, in column order. */
    public List<String> sourceFields() {
        return columns.stream().filter(c -> !c.isMetadata()).map(ColumnSpec::field).distinct().toList();
    }

    /** How search answers' shard reports are judged for this scan. */
    public ShardRules shardRules() {
        return new ShardRules(index, allowPartialResults);
    }

    public boolean needsField(String metadataField) {
        return columns.stream().anyMatch(c -> c.field().equals(metadataField));
    }
}
