package org.esfdw.importschema;

import static org.esfdw.importschema.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.esfdw.types.PgType;
import org.junit.jupiter.api.Test;

class FieldMergerTest {

    private static IndexMapping index(String name, String properties, boolean flatten) {
        return IndexMapping.of(name, json("{\"properties\":" + properties + "}"), flatten);
    }

    @Test
    void aLeafThatIsAnObjectElsewhereIsOneJsonbColumn() {
        FieldMerger.Merged merged = FieldMerger.merge(List.of(
                index("a", "{\"geo\":{\"properties\":{\"lat\":{\"type\":\"double\"},\"lon\":{\"type\":\"double\"}}}}", true),
                index("b", "{\"geo\":{\"type\":\"geo_point\"}}", true)));
        assertEquals(List.of(new Column("geo", "geo", PgType.JSONB)), merged.columns());
        assertEquals(List.of("field \"geo\" is geo_point in b and an object in a: imported as jsonb"),
                List.copyOf(merged.warnings()));
    }

    @Test
    void aLeafAndADottedLeafOfOneIndexStayTwoColumns() {
        // GET /imp_subobj/_mapping on Elasticsearch 8.19.0, a root with subobjects: false
        FieldMerger.Merged merged = FieldMerger.merge(List.of(IndexMapping.of("imp_subobj", json("""
                {"subobjects":false,"properties":{"a":{"type":"keyword"},"a.b":{"type":"long"}}}"""), true)));
        assertEquals(List.of(new Column("a", "a", PgType.TEXT), new Column("a.b", "a.b", PgType.INT8)), merged.columns());
        assertEquals(List.of(), List.copyOf(merged.warnings()));
    }

    @Test
    void withoutFlattenAnObjectAndALeafAreJustTwoTypes() {
        FieldMerger.Merged merged = FieldMerger.merge(List.of(
                index("a", "{\"labels\":{\"properties\":{\"env\":{\"type\":\"keyword\"}}}}", false),
                index("b", "{\"labels\":{\"type\":\"keyword\"}}", false)));
        assertEquals(List.of(new Column("labels", "labels", PgType.JSONB)), merged.columns());
        assertEquals(List.of("field \"labels\" is object in a and keyword in b: imported as jsonb"),
                List.copyOf(merged.warnings()));
    }

    @Test
    void anAliasInOneIndexAndAFieldInAnotherReadTheFieldsOwnPath() {
        FieldMerger.Merged merged = FieldMerger.merge(List.of(
                index("a", "{\"code\":{\"type\":\"long\"},\"status\":{\"type\":\"alias\",\"path\":\"code\"}}", true),
                index("b", "{\"status\":{\"type\":\"long\"}}", true)));
        assertEquals(List.of(new Column("code", "code", PgType.INT8), new Column("status", "status", PgType.INT8)),
                merged.columns());
        assertEquals(List.of("field \"status\" reads \"code\" in a and \"status\" in b: its column reads \"status\""),
                List.copyOf(merged.warnings()));
    }

    @Test
    void longListsOfIndicesAreCut() {
        List<IndexMapping> indices = IntStream.range(1, 7).mapToObj(i -> index(".ds-m-00000" + i,
                "{\"v\":{\"type\":\"" + (i < 6 ? "keyword" : "long") + "\"}}", true)).toList();
        assertEquals(List.of("field \"v\" is keyword in .ds-m-000001, .ds-m-000002, .ds-m-000003 and 2 more and long "
                + "in .ds-m-000006: imported as jsonb"), List.copyOf(FieldMerger.merge(indices).warnings()));
    }

    @Test
    void theSameWarningFromManyIndicesIsSaidOnce() {
        List<IndexMapping> indices = IntStream.range(1, 4).mapToObj(i -> IndexMapping.of("i" + i,
                json("{\"runtime\":{\"r\":{\"type\":\"keyword\"}},\"properties\":{}}"), true)).toList();
        assertEquals(List.of("runtime field \"r\" is not imported: es_fdw reads _source, which has no value for it"),
                List.copyOf(FieldMerger.merge(indices).warnings()));
    }
}
