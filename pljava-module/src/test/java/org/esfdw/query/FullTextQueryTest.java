package org.esfdw.query;

import static org.esfdw.query.QueryTexts.cmp;
import static org.esfdw.query.QueryTexts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.esfdw.EsFdwException;
import org.esfdw.config.ScanDescriptionParser;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

/**
 * Full-text nodes and the raw query against exact JSON: what scores goes into bool.must, every other
 * conjunct stays in bool.filter, and nothing that scores may sit under not or or.
 */
class FullTextQueryTest {
    private static final String QUERY_STRING = "{'op':'query_string','query':'postgres AND fdw'}";
    private static final String MATCH = "{'op':'match','field':'title','query':'postgres fdw'}";
    private static final String DSL = "{'op':'dsl','query':'{\\'match\\':{\\'title\\':\\'fdw\\'}}'}";

    /** The pushdown of a description with these (single-quoted) extra keys. */
    static Pushdown pushdown(String singleQuotedKeys) {
        String scan = "{\"connection\":{\"url\":\"http://127.0.0.1:9200\"},\"index\":\"articles\",\"columns\":[]"
                + json(singleQuotedKeys) + "}";
        return ScanDescriptionParser.parse(scan.getBytes(StandardCharsets.UTF_8)).pushdown();
    }

    private static String search(String singleQuotedKeys) {
        return Json.text(QueryTranslator.search(pushdown(singleQuotedKeys)));
    }

    private static EsFdwException failure(String singleQuotedKeys) {
        return assertThrows(EsFdwException.class, () -> pushdown(singleQuotedKeys));
    }

    @Test
    void eachFullTextNodeAloneIsTheOnlyMust() {
        assertEquals(json("{'bool':{'must':[{'query_string':{'query':'postgres AND fdw'}}]}}"),
                search(",'query':" + QUERY_STRING));
        assertEquals(json("{'bool':{'must':[{'match':{'title':{'query':'postgres fdw'}}}]}}"),
                search(",'query':" + MATCH));
        assertEquals(json("{'bool':{'must':[{'match':{'title':'fdw'}}]}}"), search(",'query':" + DSL));
    }

    @Test
    void fullTextGoesToMustAndTheOtherConjunctsStayInFilter() {
        String and = ",'query':{'op':'and','args':[" + cmp("ge", "views", "int8", "100") + "," + QUERY_STRING + ","
                + "{'op':'not','arg':{'op':'is_null','field':'a'}}," + MATCH + "]}";
        assertEquals(json("{'bool':{'must':[{'query_string':{'query':'postgres AND fdw'}},"
                + "{'match':{'title':{'query':'postgres fdw'}}}],"
                + "'filter':[{'range':{'views':{'gte':100}}},{'exists':{'field':'a'}}]}}"), search(and));
    }

    @Test
    void nestedTopLevelAndsAreOneConjunction() {
        String nested = ",'query':{'op':'and','args':[{'op':'and','args':[" + MATCH + ","
                + cmp("eq", "k", "text", "'x'") + "]}," + cmp("eq", "n", "int8", "1") + "]}";
        assertEquals(json("{'bool':{'must':[{'match':{'title':{'query':'postgres fdw'}}}],"
                + "'filter':[{'term':{'k':'x'}},{'term':{'n':1}}]}}"), search(nested));
    }

    @Test
    void withoutFullTextTheQueryIsUnchanged() {
        assertEquals(json("{'bool':{'filter':[{'term':{'n':1}}]}}"), search(",'query':" + cmp("eq", "n", "int8", "1")));
        assertNull(QueryTranslator.search(pushdown("")));
    }

    @Test
    void rawQueryAloneIsTheQueryItself() {
        assertEquals(json("{'term':{'k':'x'}}"), search(",'raw_query':'{\\'term\\':{\\'k\\':\\'x\\'}}'"));
    }

    @Test
    void rawQueryIsTheFirstMustBeforeTheFullTextAndTheConditionFilters() {
        String raw = ",'raw_query':'{\\'match\\':{\\'body\\':\\'es\\'}}'";
        assertEquals(json("{'bool':{'must':[{'match':{'body':'es'}}],'filter':[{'term':{'n':1}}]}}"),
                search(raw + ",'query':" + cmp("eq", "n", "int8", "1")));
        assertEquals(json("{'bool':{'must':[{'match':{'body':'es'}}],'filter':[{'bool':{'should':["
                        + "{'term':{'n':1}},{'term':{'n':2}}],'minimum_should_match':1}}]}}"),
                search(raw + ",'query':{'op':'or','args':[" + cmp("eq", "n", "int8", "1") + ","
                        + cmp("eq", "n", "int8", "2") + "]}"));
        assertEquals(json("{'bool':{'must':[{'match':{'body':'es'}},{'match':{'title':{'query':'postgres fdw'}}}],"
                + "'filter':[{'term':{'n':1}}]}}"), search(raw + ",'query':{'op':'and','args':["
                + MATCH + "," + cmp("eq", "n", "int8", "1") + "]}"));
    }

    @Test
    void rawQueryMayAlsoArriveAsAnObject() {
        assertEquals(json("{'term':{'k':'x'}}"), search(",'raw_query':{'term':{'k':'x'}}"));
    }

    @Test
    void scoringAndTheQueryColumnNode() {
        assertTrue(pushdown(",'query':" + MATCH).scores());
        assertTrue(pushdown(",'raw_query':'{}'").scores());
        assertFalse(pushdown(",'query':" + cmp("eq", "n", "int8", "1")).scores());
        assertFalse(pushdown("").scores());
        assertEquals(new Expr.QueryString("postgres AND fdw"), pushdown(",'query':{'op':'and','args':[" + MATCH
                + "," + QUERY_STRING + "]}").queryColumnNode());
        assertEquals("{\"match\":{\"title\":\"fdw\"}}",
                ((Expr.DslQuery) pushdown(",'query':" + DSL).queryColumnNode()).text());
        assertNull(pushdown(",'query':" + MATCH).queryColumnNode());
    }

    @Test
    void rawQueryIsNeverAnMgetOfIds() {
        assertNull(pushdown(",'raw_query':'{}','query':{'op':'ids','values':['1']}").idsOnly());
    }

    @Test
    void fullTextUnderNotOrOrIsRejected() {
        assertEquals("full-text condition \"match\" can only be ANDed at the top level of a pushed-down query, "
                + "not under not or or", failure(",'query':{'op':'not','arg':" + MATCH + "}").getMessage());
        assertEquals("HV000", failure(",'query':{'op':'or','args':[" + QUERY_STRING + ","
                + cmp("eq", "n", "int8", "1") + "]}").sqlstate());
        failure(",'query':{'op':'and','args':[{'op':'or','args':[" + DSL + "," + MATCH + "]}]}");
        assertThrows(EsFdwException.class, () -> QueryTranslator.translate(new Expr.Not(new Expr.QueryString("x"))));
    }

    @Test
    void dslTextThatIsNotAJsonObjectIs22P02() {
        EsFdwException array = failure(",'query':{'op':'dsl','query':'[1]'}");
        assertEquals("22P02", array.sqlstate());
        assertEquals("invalid Query DSL in the dsl query: it is not a JSON object but an array", array.getMessage());
        assertEquals("invalid Query DSL in the dsl query: the text is empty",
                failure(",'query':{'op':'dsl','query':''}").getMessage());
        assertTrue(failure(",'query':{'op':'dsl','query':'{\\'match\\':'}").getMessage()
                .startsWith("invalid Query DSL in the dsl query: Unexpected end-of-input"));
        assertTrue(failure(",'query':{'op':'dsl','query':'{} {}'}").getMessage()
                .startsWith("invalid Query DSL in the dsl query: Trailing token"));
    }

    @Test
    void invalidRawQueryAndAggsAre22P02NamingTheKey() {
        EsFdwException raw = failure(",'raw_query':'match_all'");
        assertEquals("22P02", raw.sqlstate());
        assertTrue(raw.getMessage().startsWith("invalid Query DSL in raw_query: Unrecognized token 'match_all'"),
                raw.getMessage());
        assertEquals("invalid Query DSL in aggs: it is not a JSON object but a number",
                failure(",'aggs':'42'").getMessage());
        assertEquals("22P02", failure(",'aggs':'{'").sqlstate());
    }
}
