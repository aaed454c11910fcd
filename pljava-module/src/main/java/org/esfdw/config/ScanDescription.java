package org.esfdw.config;

import java.time.Duration;
import java.util.List;

/** A parsed scan description (docs/boundary.md): what to read, from where, in which columns. */
public record ScanDescription(ConnectionOptions connection, String index, int fetchSize, Duration keepAlive,
                              List<ColumnSpec> columns) {

    public ScanDescription {
        columns = List.copyOf(columns);
    }

    /** The distinct _source fields the columns read, in column order. */
    public List<String> sourceFields() {
        return columns.stream().filter(c -> !c.isMetadata()).map(ColumnSpec::field).distinct().toList();
    }

    public boolean needsField(String metadataField) {
        return columns.stream().anyMatch(c -> c.field().equals(metadataField));
    }
}
