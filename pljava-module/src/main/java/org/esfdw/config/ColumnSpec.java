package org.esfdw.config;

import java.util.Set;
import org.esfdw.types.PgType;

/**
 * One column a scan returns: its PostgreSQL name, the Elasticsearch field it reads (a _source path or a
 * hit metadata name), its base type and whether it is an array of that type.
 */
public record ColumnSpec(String name, String field, PgType type, boolean array) {

    /**
     * Hit metadata es_fdw can read instead of a _source field; _query is the scan's own query text,
     * _source the whole document and _highlight the hit's highlight object.
     */
    public static final Set<String> METADATA_FIELDS =
            Set.of("_id", "_index", "_score", "_routing", "_version", "_seq_no", "_primary_term", "_query", "_source",
                    "_highlight");

    public boolean isMetadata() {
        return METADATA_FIELDS.contains(field);
    }
}
