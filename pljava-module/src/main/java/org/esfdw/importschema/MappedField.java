package org.esfdw.importschema;

import org.esfdw.types.PgType;

/**
 * A field of one index that becomes a column: its mapping path (the column's name comes from it), the
 * _source path its values are read from (the path itself, or an alias field's target), its Elasticsearch
 * type (for messages) and its column type.
 */
record MappedField(String path, String source, String esType, PgType pgType) {
}
