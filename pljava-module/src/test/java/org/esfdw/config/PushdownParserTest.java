package org.esfdw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import org.esfdw.EsFdwException;
import org.esfdw.query.CmpOp;
import org.esfdw.query.Expr;
import org.esfdw.query.Pushdown;
import org.esfdw.query.SortKey;
import org.esfdw.types.PgType;
import org.junit.jupiter.api.Test;

class PushdownParserTest {

    private static Pushdown parse(String keys) {
        String json = "{\"connection\":{\"url\":\"http://h:1\"},\"index\":\"i\",\"columns\":[]" + keys + "}";
        return ScanDescriptionParser.parse(json.getBytes(StandardCharsets.UTF_8)).pushdown();
    }

    @Test
    void absentKeysMeanNoPushdown() {
        assertEquals(Pushdown.NONE, parse(""));
        assertEquals(Pushdown.NONE, parse(",\"query\":null,\"sort\":null,\"limit\":null,\"count_only\":false"));
    }

    @Test
    void readsTheBoundaryExample() {
        Pushdown pushdown = parse("""
                ,"query": {"op": "and", "args": [
                  {"op": "cmp", "cmp": "ge", "field": "views", "type": "int8", "value": 100},
                  {"op": "not", "arg": {"op": "in", "field": "status", "type": "text", "values": ["draft", "gone"]}}]},
                "sort": [{"field": "published", "descending": true, "nulls_first": true}],
                "limit": 10,
                "count_only": false""");
        assertEquals(new Expr.And(List.of(
                new Expr.Cmp(CmpOp.GE, "views", PgType.INT8, new com.fasterxml.jackson.databind.node.IntNode(100)),
                new Expr.Not(new Expr.In("status", PgType.TEXT,
                        List.of(TextNode.valueOf("draft"), TextNode.valueOf("gone")))))), pushdown.query());
        assertEquals(List.of(new SortKey("published", true, true)), pushdown.sort());
        assertEquals(OptionalLong.of(10), pushdown.limit());
        assertFalse(pushdown.countOnly());
    }

    @Test
    void readsEveryNodeKind() {
        Pushdown pushdown = parse("""
                ,"query": {"op": "or", "args": [
                  {"op": "is_null", "field": "a"}, {"op": "is_not_null", "field": "b"},
                  {"op": "like", "field": "t", "pattern": "ab%", "case_insensitive": true},
                  {"op": "ids", "values": ["1", "2"]},
                  {"op": "array_contains", "field": "tags", "type": "text", "value": "red"},
                  {"op": "cmp", "cmp": "eq", "field": "p", "type": "numeric", "value": 12.50}]},
                "count_only": true""");
        assertEquals(new Expr.Or(List.of(new Expr.IsNull("a"), new Expr.IsNotNull("b"),
                new Expr.Like("t", "ab%", true), new Expr.Ids(List.of("1", "2")),
                new Expr.ArrayContains("tags", PgType.TEXT, TextNode.valueOf("red")),
                new Expr.Cmp(CmpOp.EQ, "p", PgType.NUMERIC, DecimalNode.valueOf(new BigDecimal("12.50"))))),
                pushdown.query());
        assertTrue(pushdown.countOnly());
    }

    @Test
    void sortDefaultsArePostgresqls() {
        assertEquals(List.of(new SortKey("a", false, false), new SortKey("b", true, true)),
                parse(",\"sort\":[{\"field\":\"a\"},{\"field\":\"b\",\"descending\":true}]").sort());
    }

    @Test
    void idsOnlyIsTheIdListOfAWholeIdsCondition() {
        assertEquals(List.of("1", "1", "2"), parse(",\"query\":{\"op\":\"ids\",\"values\":[\"1\",\"1\",\"2\"]}").idsOnly());
        assertNull(parse(",\"query\":{\"op\":\"not\",\"arg\":{\"op\":\"ids\",\"values\":[\"1\"]}}").idsOnly());
    }

    @Test
    void refusesWhatCannotBeTranslated() {
        assertEquals("invalid es_fdw scan description: unknown query op \"xor\"",
                assertThrows(EsFdwException.class, () -> parse(",\"query\":{\"op\":\"xor\"}")).getMessage());
        assertEquals("invalid es_fdw scan description: unknown comparison \"like\"",
                assertThrows(EsFdwException.class, () -> parse(",\"query\":{\"op\":\"cmp\",\"cmp\":\"like\","
                        + "\"field\":\"a\",\"type\":\"text\",\"value\":\"x\"}")).getMessage());
        assertEquals("invalid es_fdw scan description: query op \"and\" needs a non-empty \"args\" array",
                assertThrows(EsFdwException.class, () -> parse(",\"query\":{\"op\":\"and\",\"args\":[]}"))
                        .getMessage());
        assertEquals("invalid es_fdw scan description: a query value must be a JSON scalar, not null",
                assertThrows(EsFdwException.class, () -> parse(",\"query\":{\"op\":\"in\",\"field\":\"a\","
                        + "\"type\":\"text\",\"values\":[null]}")).getMessage());
        assertEquals("invalid es_fdw scan description: \"limit\" must be an integer of at least 0, not -1",
                assertThrows(EsFdwException.class, () -> parse(",\"limit\":-1")).getMessage());
    }

    @Test
    void targetNeedsOnlyConnectionAndIndex() {
        ScanDescriptionParser.Target target = ScanDescriptionParser.parseTarget(
                "{\"connection\":{\"url\":\"http://u:p@h:1\"},\"index\":\"logs-*\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("http://h:1", target.connection().displayUrl());
        assertEquals("logs-*", target.index());
    }
}
