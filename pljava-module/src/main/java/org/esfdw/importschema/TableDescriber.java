package org.esfdw.importschema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.esfdw.json.Json;
import org.esfdw.types.PgType;

/**
 * The description of one table to import (docs/import-schema.md): its name, the index option, the columns
 * (the id column first, holding _id, then one per field of the merged mappings, each named readably and
 * uniquely, never as the id column) and the warnings. A column's field is given exactly when es_fdw would
 * read something else without a field option and with the table's default options: a column reads the
 * field its name spells, except that a column named "id" (the default rowid_column) reads _id. So no
 * rowid_column option is ever needed, whatever the id column is called or whether there is one.
 * Pure: the mappings are given.
 */
final class TableDescriber {
    /** es_fdw's default rowid_column: a column of this name without a field option reads _id. */
    static final String DEFAULT_ROWID_COLUMN = "id";
    private static final String ID_FIELD = "_id";

    private TableDescriber() {
    }

    /** @param mappingAnswer the GET /<index>/_mapping answer for the source: {"<index>":{"mappings":{…}}, …} */
    static ObjectNode describe(String tableName, RemoteSource source, JsonNode mappingAnswer, ImportOptions options) {
        Map<String, JsonNode> byIndex = new TreeMap<>();
        mappingAnswer.properties().forEach(index -> byIndex.put(index.getKey(), index.getValue().path("mappings")));
        FieldMerger.Merged merged = FieldMerger.merge(byIndex.entrySet().stream()
                .map(index -> IndexMapping.of(index.getKey(), index.getValue(), options.flatten())).toList());

        ObjectNode table = Json.object().put("name", tableName).put("index", source.name());
        ArrayNode columns = table.putArray("columns");
        if (options.hasIdColumn()) {
            String idColumn = options.idColumn();
            columns.add(column(idColumn, PgType.TEXT, idColumn.equals(DEFAULT_ROWID_COLUMN) ? null : ID_FIELD, true));
        }
        List<Column> fields = merged.columns();
        List<String> names = PgNames.unique(fields.stream().map(Column::path).toList(),
                options.hasIdColumn() ? Set.of(options.idColumn()) : Set.of());
        for (int i = 0; i < fields.size(); i++) {
            Column field = fields.get(i);
            String name = names.get(i);
            boolean readsItsName = name.equals(field.source()) && !name.equals(DEFAULT_ROWID_COLUMN);
            columns.add(column(name, field.type(), readsItsName ? null : field.source(), false));
        }
        ArrayNode warnings = table.putArray("warnings");
        if (source.closed()) {
            warnings.add("index " + source.name() + " is closed: reading the table fails until the index is opened");
        }
        merged.warnings().forEach(warnings::add);
        return table;
    }

    private static ObjectNode column(String name, PgType type, String field, boolean rowid) {
        return Json.object().put("name", name).put("type", type.sqlName()).put("field", field).put("rowid", rowid);
    }
}
