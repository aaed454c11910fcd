package org.esfdw.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.EsFdwException;
import org.esfdw.config.AggregateSpec;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.types.PgType;
import org.junit.jupiter.api.Test;

/** The search of a pushed-down GROUP BY (docs/boundary.md, "GROUP BY and aggregates"), against exact JSON. */
class AggregationRequestsTest {
    private static final String OUTPUTS = "{'name':'o0','kind':'group','group':0},{'name':'o1','kind':'count'},"
            + "{'name':'o2','kind':'count_field','field':'views','type':'int8'},"
            + "{'name':'o3','kind':'min','field':'published','type':'date'}";

    private static ScanDescription grouped(String groupBy, String outputs, String extra) {
        return FullTextSearchBodyTest.scan("", ",'aggregate':{'group_by':[" + groupBy + "],'outputs':[" + outputs + "]}"
                + extra);
    }

    @Test
    void groupsPageThroughACompositeWithOneSubAggregationPerMetric() {
        ScanDescription scan = grouped("{'field':'tag','type':'text'}", OUTPUTS,
                ",'query':{'op':'cmp','cmp':'gt','field':'views','type':'int8','value':5}");
        assertEquals("POST /articles/_search {\"size\":0,\"query\":{\"bool\":{\"filter\":[{\"range\":{\"views\":{\"gt\":5}}}]}},"
                + "\"aggs\":{\"groups\":{\"composite\":{\"size\":100,\"sources\":[{\"g0\":{\"terms\":{\"field\":\"tag\","
                + "\"missing_bucket\":true}}}]},\"aggs\":{\"o2\":{\"value_count\":{\"field\":\"views\"}},"
                + "\"o3\":{\"min\":{\"field\":\"published\"}}}}}}",
                AggregationRequests.page(scan, 100, null).toString());
        assertEquals(ScanRequests.Route.AGGREGATE, ScanRequests.route(scan));
    }

    @Test
    void dateGroupsAreWholeUtcDaysAndTheNextPageStartsAfterTheLastKey() {
        ScanDescription scan = grouped("{'field':'published','type':'date'}",
                "{'name':'o0','kind':'group','group':0},{'name':'o1','kind':'count'}", "");
        ObjectNode after = Json.object().put("g0", 1709251200000L);
        assertEquals("POST /articles/_search {\"size\":0,\"aggs\":{\"groups\":{\"composite\":{\"size\":10,\"sources\":"
                + "[{\"g0\":{\"date_histogram\":{\"field\":\"published\",\"calendar_interval\":\"1d\",\"time_zone\":\"UTC\","
                + "\"missing_bucket\":true}}}],\"after\":{\"g0\":1709251200000}}}}}",
                AggregationRequests.page(scan, 10, after).toString());
    }

    @Test
    void withoutGroupByTheMetricsAndTheExactHitCount() {
        ScanDescription scan = grouped("", "{'name':'o0','kind':'count'},{'name':'o1','kind':'max','field':'n','type':'int4'}", "");
        assertEquals("POST /articles/_search {\"size\":0,\"track_total_hits\":true,\"aggs\":{\"o1\":{\"max\":{\"field\":\"n\"}}}}",
                AggregationRequests.page(scan, 10, null).toString());
    }

    @Test
    void metricsBecomeExactLongsAndBooleanKeysBooleans() {
        assertEquals(1709251200000L, AggregationValues.metric(Json.parse("1.7092512E12".getBytes()), PgType.DATE).asLong());
        assertEquals("12", AggregationValues.metric(Json.parse("12.0".getBytes()), PgType.INT4).toString());
        assertEquals("true", AggregationValues.groupKey(Json.parse("1".getBytes()), PgType.BOOL).toString());
        assertEquals("null", AggregationValues.metric(Json.parse("null".getBytes()), PgType.DATE).toString());
    }

    @Test
    void sumAndAvgAskForStatsAndABigintExtremeForTheSortValueOfTheFirstDocumentWithTheField() {
        ScanDescription scan = grouped("", "{'name':'o0','kind':'sum','field':'n','type':'int4'},"
                + "{'name':'o1','kind':'avg','field':'f','type':'float8'},{'name':'o2','kind':'max','field':'big','type':'int8'},"
                + "{'name':'o3','kind':'min','field':'f','type':'float8'}", "");
        assertEquals("POST /articles/_search {\"size\":0,\"track_total_hits\":true,\"aggs\":{\"o0\":{\"stats\":{\"field\":\"n\"}},"
                + "\"o1\":{\"stats\":{\"field\":\"f\"}},\"o2\":{\"filter\":{\"exists\":{\"field\":\"big\"}},\"aggs\":{\"v\":"
                + "{\"top_hits\":{\"size\":1,\"_source\":false,\"sort\":[{\"big\":{\"order\":\"desc\"}}]}}}},"
                + "\"o3\":{\"min\":{\"field\":\"f\"}}}}",
                AggregationRequests.page(scan, 10, null).toString());
    }

    private static AggregateSpec.Output output(String kind, PgType type) {
        return new AggregateSpec.Output("o0", kind, -1, "n", type);
    }

    private static String value(String kind, PgType type, String answer) {
        return AggregationValues.output(output(kind, type), Json.parse(answer.replace('\'', '"').getBytes()), "index x").toString();
    }

    @Test
    void integerSumsAreExactLongsAndAveragesTheirSumOverTheCountForPostgresqlToDivide() {
        String stats = "{'count':3,'min':-5.0,'max':9.007199254740E12,'sum':9.007199254750E12,'avg':3.0E12}";
        assertEquals("9007199254750", value("sum", PgType.INT8, stats));
        assertEquals("\"9007199254750/3\"", value("avg", PgType.INT4, stats));
        assertEquals("3.0E12", value("avg", PgType.FLOAT8, stats));
        assertEquals("null", value("sum", PgType.INT4, "{'count':0,'min':null,'max':null,'sum':0.0,'avg':null}"));
        assertEquals("null", value("avg", PgType.FLOAT8, "{'count':0,'min':null,'max':null,'sum':0.0,'avg':null}"));
    }

    @Test
    void anIntegerSumThatMayHaveLeftTheExactRangeOfDoublesFailsInsteadOfRounding() {
        EsFdwException e = assertThrows(EsFdwException.class,
                () -> value("sum", PgType.INT8, "{'count':2,'min':1.0,'max':9.007199254740992E15,'sum':9.007199254740992E15}"));
        assertEquals("Elasticsearch cannot compute sum(n) exactly on index x", e.getMessage());
        assertThrows(EsFdwException.class,
                () -> value("avg", PgType.INT4, "{'count':5000000,'min':-2.147483648E9,'max':1.0,'sum':-1.0}"));
        assertEquals("\"-1/3\"", value("avg", PgType.INT4, "{'count':3,'min':-2.0,'max':1.0,'sum':-1.0}"));
    }

    @Test
    void aBigintExtremeIsTheTopHitsSortValueAndNullWithoutDocuments() {
        assertEquals("9007199254740993", value("max", PgType.INT8,
                "{'doc_count':4,'v':{'hits':{'hits':[{'_id':'1','sort':[9007199254740993]}]}}}"));
        assertEquals("null", value("min", PgType.INT8, "{'doc_count':0,'v':{'hits':{'hits':[]}}}"));
    }

    @Test
    void anOutputOfAnUnknownGroupIsRefused() {
        assertThrows(EsFdwException.class, () -> grouped("", "{'name':'o0','kind':'group','group':0}", ""));
    }
}
