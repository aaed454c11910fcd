package org.esfdw.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.EsFdwException;
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
    void anOutputOfAnUnknownGroupIsRefused() {
        assertThrows(EsFdwException.class, () -> grouped("", "{'name':'o0','kind':'group','group':0}", ""));
    }
}
