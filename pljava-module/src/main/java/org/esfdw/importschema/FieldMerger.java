package org.esfdw.importschema;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.esfdw.types.PgType;

/**
 * The columns of a table read through several indices (a pattern's alias, a data stream's backing indices),
 * from their mappings: the union of their fields, in Elasticsearch's order (sorted by path, component by
 * component). A field typed differently gets the type that holds every value when there is one (integer
 * and long: bigint; float and double: double precision; other numbers: numeric), else jsonb with a warning
 * naming the field, the indices and their types. A field that is a leaf in one index and an object in
 * another is one jsonb column (its sub-fields' columns are dropped), with a warning too.
 */
final class FieldMerger {
    /** How many index names a warning lists before "and N more" (a data stream may have hundreds). */
    static final int NAMED_INDICES = 3;
    private static final Comparator<String> BY_COMPONENTS = (a, b) -> {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int order = left[i].compareTo(right[i]);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.length, right.length);
    };

    /** The columns, and the warnings about the table's fields and indices. */
    record Merged(List<Column> columns, Set<String> warnings) {
    }

    private FieldMerger() {
    }

    /** @param indices the table's indices, in the order their names are listed in warnings */
    static Merged merge(List<IndexMapping> indices) {
        Map<String, Map<String, MappedField>> byPath = new TreeMap<>(BY_COMPONENTS);
        Set<String> warnings = new LinkedHashSet<>();
        List<String> sourceless = new ArrayList<>();
        for (IndexMapping index : indices) {
            index.fields().forEach(field -> byPath.computeIfAbsent(field.path(), path -> new LinkedHashMap<>())
                    .put(index.index(), field));
            warnings.addAll(index.warnings());
            if (index.sourceDisabled()) {
                sourceless.add(index.index());
            }
        }
        Map<String, Set<String>> objectIndices = leavesThatAreObjectsElsewhere(byPath);
        List<Column> columns = new ArrayList<>();
        byPath.forEach((path, fields) -> {
            if (ancestors(path).stream().noneMatch(objectIndices::containsKey)) {
                columns.add(column(path, fields, objectIndices.getOrDefault(path, Set.of()), warnings));
            }
        });
        if (!sourceless.isEmpty()) {
            warnings.add("_source is disabled in " + (sourceless.size() == 1 ? "index " : "indices ")
                    + names(sourceless) + ": es_fdw reads _source, so every column but the id column is NULL there");
        }
        return new Merged(columns, warnings);
    }

    /**
     * For each path that is a leaf in some indices and has sub-fields in others: those others. (Within one
     * index a leaf "a" and a leaf "a.b" can both exist, under subobjects: false; they stay two columns.)
     */
    private static Map<String, Set<String>> leavesThatAreObjectsElsewhere(
            Map<String, Map<String, MappedField>> byPath) {
        Map<String, Set<String>> objectIndices = new HashMap<>();
        byPath.forEach((path, fields) -> {
            for (String ancestor : ancestors(path)) {
                Map<String, MappedField> leaf = byPath.get(ancestor);
                for (String index : fields.keySet()) {
                    if (leaf != null && !leaf.containsKey(index)) {
                        objectIndices.computeIfAbsent(ancestor, a -> new TreeSet<>()).add(index);
                    }
                }
            }
        });
        return objectIndices;
    }

    /** "a.b.c" → ["a", "a.b"] */
    private static List<String> ancestors(String path) {
        List<String> ancestors = new ArrayList<>();
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            ancestors.add(path.substring(0, dot));
        }
        return ancestors;
    }

    private static Column column(String path, Map<String, MappedField> fields, Set<String> objectIndices,
                                 Set<String> warnings) {
        Set<PgType> types = fields.values().stream().map(MappedField::pgType)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        PgType type = types.size() == 1 ? types.iterator().next() : EsTypes.widest(types);
        if (!objectIndices.isEmpty()) {
            warnings.add("field \"" + path + "\" is " + byIndex(fields, MappedField::esType) + " and an object in "
                    + names(new ArrayList<>(objectIndices)) + ": imported as jsonb");
            type = PgType.JSONB;
        } else if (type == null) {
            warnings.add("field \"" + path + "\" is " + byIndex(fields, MappedField::esType) + ": imported as jsonb");
            type = PgType.JSONB;
        }
        Set<String> sources = fields.values().stream().map(MappedField::source)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (sources.size() == 1) {
            return new Column(path, sources.iterator().next(), type);
        }
        warnings.add("field \"" + path + "\" reads " + byIndex(fields, field -> "\"" + field.source() + "\"")
                + ": its column reads \"" + path + "\"");
        return new Column(path, path, type);
    }

    /** "long in a, b and keyword in c" */
    private static String byIndex(Map<String, MappedField> fields, Function<MappedField, String> what) {
        Map<String, List<String>> indicesByWhat = new LinkedHashMap<>();
        fields.forEach((index, field) ->
                indicesByWhat.computeIfAbsent(what.apply(field), w -> new ArrayList<>()).add(index));
        return indicesByWhat.entrySet().stream().map(e -> e.getKey() + " in " + names(e.getValue()))
                .collect(Collectors.joining(" and "));
    }

    /** "a, b, c and 4 more" */
    static String names(List<String> indices) {
        String listed = String.join(", ", indices.subList(0, Math.min(indices.size(), NAMED_INDICES)));
        return indices.size() > NAMED_INDICES ? listed + " and " + (indices.size() - NAMED_INDICES) + " more" : listed;
    }
}
