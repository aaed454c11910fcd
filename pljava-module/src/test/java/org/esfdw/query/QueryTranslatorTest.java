package org.esfdw.query;

import static org.esfdw.query.QueryTexts.cmp;
import static org.esfdw.query.QueryTexts.expr;
import static org.esfdw.query.QueryTexts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.esfdw.EsFdwException;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

/** Each translation rule against exact JSON: the TRUE query and, where it matters, the FALSE one. */
class QueryTranslatorTest {

    private static String whenTrue(String node) {
        return Json.text(QueryTranslator.translate(expr(node)).whenTrue());
    }

    private static String whenFalse(String node) {
        return Json.text(QueryTranslator.translate(expr(node)).whenFalse());
    }

    private static String topLevel(String node) {
        return Json.text(QueryTranslator.query(expr(node)));
    }

    @Test
    void equalityIsATermWithTheJsonValueAsIs() {
        assertEquals(json("{'term':{'status':'draft'}}"), whenTrue(cmp("eq", "status", "text", "'draft'")));
        assertEquals(json("{'term':{'views':100}}"), whenTrue(cmp("eq", "views", "int8", "100")));
        assertEquals(json("{'term':{'flag':true}}"), whenTrue(cmp("eq", "flag", "bool", "true")));
        assertEquals(json("{'term':{'ip':'10.0.0.1'}}"), whenTrue(cmp("eq", "ip", "inet", "'10.0.0.1'")));
        assertEquals(json("{'term':{'u':'0e37df36-f698-11e6-8dd4-cb9ced3df976'}}"),
                whenTrue(cmp("eq", "u", "uuid", "'0e37df36-f698-11e6-8dd4-cb9ced3df976'")));
    }

    @Test
    void numericValuesStayExactJsonNumbers() {
        assertEquals(json("{'range':{'price':{'gt':0.10000000000000000000001}}}"),
                whenTrue(cmp("gt", "price", "numeric", "0.10000000000000000000001")));
        assertEquals(json("{'term':{'price':12.50}}"), whenTrue(cmp("eq", "price", "numeric", "12.50")));
        assertEquals(json("{'term':{'big':9223372036854775807}}"),
                whenTrue(cmp("eq", "big", "int8", "9223372036854775807")));
    }

    @Test
    void orderingOperatorsAreRangeKeys() {
        assertEquals(json("{'range':{'views':{'lt':5}}}"), whenTrue(cmp("lt", "views", "int4", "5")));
        assertEquals(json("{'range':{'views':{'lte':5}}}"), whenTrue(cmp("le", "views", "int4", "5")));
        assertEquals(json("{'range':{'views':{'gt':5}}}"), whenTrue(cmp("gt", "views", "int4", "5")));
        assertEquals(json("{'range':{'views':{'gte':5}}}"), whenTrue(cmp("ge", "views", "int4", "5")));
        assertEquals(json("{'range':{'title':{'gte':'m'}}}"), whenTrue(cmp("ge", "title", "text", "'m'")));
    }

    @Test
    void leafIsFalseOnlyWhereTheFieldHasAValueThatDoesNotMatch() {
        assertEquals(json("{'bool':{'filter':[{'exists':{'field':'views'}}],"
                + "'must_not':[{'range':{'views':{'gte':5}}}]}}"), whenFalse(cmp("ge", "views", "int4", "5")));
    }

    @Test
    void notEqualIsTrueOnlyWhereTheFieldHasAnotherValue() {
        assertEquals(json("{'bool':{'filter':[{'exists':{'field':'status'}}],'must_not':[{'term':{'status':'x'}}]}}"),
                whenTrue(cmp("ne", "status", "text", "'x'")));
        assertEquals(json("{'term':{'status':'x'}}"), whenFalse(cmp("ne", "status", "text", "'x'")));
    }

    @Test
    void inIsTermsAndItsNegationNeedsTheField() {
        String in = "{'op':'in','field':'status','type':'text','values':['draft','gone']}";
        assertEquals(json("{'terms':{'status':['draft','gone']}}"), whenTrue(in));
        assertEquals(json("{'bool':{'filter':[{'exists':{'field':'status'}}],"
                + "'must_not':[{'terms':{'status':['draft','gone']}}]}}"), whenTrue("{'op':'not','arg':" + in + "}"));
    }

    @Test
    void isNullIsMissingFieldAndNeverUnknown() {
        assertEquals(json("{'bool':{'must_not':[{'exists':{'field':'a'}}]}}"), whenTrue("{'op':'is_null','field':'a'}"));
        assertEquals(json("{'exists':{'field':'a'}}"), whenFalse("{'op':'is_null','field':'a'}"));
        assertEquals(json("{'exists':{'field':'a'}}"), whenTrue("{'op':'is_not_null','field':'a'}"));
        assertEquals(json("{'bool':{'must_not':[{'exists':{'field':'a'}}]}}"),
                whenFalse("{'op':'is_not_null','field':'a'}"));
    }

    @Test
    void idsAndTheirNegation() {
        assertEquals(json("{'ids':{'values':['1','2']}}"), whenTrue("{'op':'ids','values':['1','2']}"));
        assertEquals(json("{'bool':{'must_not':[{'ids':{'values':['1']}}]}}"),
                whenTrue("{'op':'not','arg':{'op':'ids','values':['1']}}"));
    }

    @Test
    void arrayContainsIsATermOnTheArrayField() {
        assertEquals(json("{'term':{'tags':'red'}}"),
                whenTrue("{'op':'array_contains','field':'tags','type':'text','value':'red'}"));
    }

    @Test
    void dateComparesWholeUtcDaysWithGteAndLtOnly() {
        String format = ",'format':'strict_date_optional_time'";
        assertEquals(json("{'range':{'d':{'gte':'2024-02-29','lt':'2024-03-01'" + format + "}}}"),
                whenTrue(cmp("eq", "d", "date", "'2024-02-29'")));
        assertEquals(json("{'range':{'d':{'lt':'2024-02-29'" + format + "}}}"),
                whenTrue(cmp("lt", "d", "date", "'2024-02-29'")));
        assertEquals(json("{'range':{'d':{'lt':'2024-03-01'" + format + "}}}"),
                whenTrue(cmp("le", "d", "date", "'2024-02-29'")));
        assertEquals(json("{'range':{'d':{'gte':'2025-01-01'" + format + "}}}"),
                whenTrue(cmp("gt", "d", "date", "'2024-12-31'")));
        assertEquals(json("{'range':{'d':{'gte':'2024-02-29'" + format + "}}}"),
                whenTrue(cmp("ge", "d", "date", "'2024-02-29'")));
        assertEquals(json("{'bool':{'should':[{'range':{'d':{'gte':'2024-01-01','lt':'2024-01-02'" + format + "}}},"
                        + "{'range':{'d':{'gte':'2024-01-05','lt':'2024-01-06'" + format + "}}}],"
                        + "'minimum_should_match':1}}"),
                whenTrue("{'op':'in','field':'d','type':'date','values':['2024-01-01','2024-01-05']}"));
    }

    @Test
    void timestampsCompareInstantsWithoutZoneAsUtc() {
        String format = ",'format':'strict_date_optional_time'";
        assertEquals(json("{'range':{'t':{'gte':'2024-02-29T23:59:58.123Z','lte':'2024-02-29T23:59:58.123Z'"
                + format + "}}}"), whenTrue(cmp("eq", "t", "timestamp", "'2024-02-29T23:59:58.123'")));
        assertEquals(json("{'range':{'t':{'lt':'2024-02-29T21:59:58Z'" + format + "}}}"),
                whenTrue(cmp("lt", "t", "timestamptz", "'2024-02-29T21:59:58Z'")));
        assertEquals(json("{'range':{'t':{'gte':'2024-02-29T21:59:58.100Z'" + format + "}}}"),
                whenTrue(cmp("ge", "t", "timestamptz", "'2024-02-29T21:59:58.1Z'")));
    }

    @Test
    void subMillisecondTimestampsStayExactOnMillisecondAndNanosecondFields() {
        String format = ",'format':'strict_date_optional_time'";
        String v = "'2024-02-29T21:59:58.123456Z'";
        String exact = "'2024-02-29T21:59:58.123456Z'";
        String millis = "'2024-02-29T21:59:58.123Z'";
        assertEquals(json("{'bool':{'filter':[{'range':{'t':{'gte':" + exact + ",'lte':" + exact + format + "}}},"
                + "{'range':{'t':{'gt':" + millis + format + "}}}]}}"), whenTrue(cmp("eq", "t", "timestamptz", v)));
        assertEquals(json("{'bool':{'should':[{'range':{'t':{'lt':" + exact + format + "}}},"
                        + "{'range':{'t':{'lte':" + millis + format + "}}}],'minimum_should_match':1}}"),
                whenTrue(cmp("lt", "t", "timestamptz", v)));
        assertEquals(json("{'range':{'t':{'lte':" + exact + format + "}}}"), whenTrue(cmp("le", "t", "timestamptz", v)));
        assertEquals(json("{'range':{'t':{'gt':" + exact + format + "}}}"), whenTrue(cmp("gt", "t", "timestamptz", v)));
        assertEquals(json("{'bool':{'filter':[{'range':{'t':{'gte':" + exact + format + "}}},"
                + "{'range':{'t':{'gt':" + millis + format + "}}}]}}"), whenTrue(cmp("ge", "t", "timestamptz", v)));
        assertEquals(json("{'range':{'t':{'gt':" + exact + format + "}}}"),
                whenTrue(cmp("gt", "t", "timestamp", "'2024-02-29T21:59:58.123456'")));
    }

    @Test
    void andOrNotFollowThreeValuedLogic() {
        String a = cmp("eq", "a", "int4", "1");
        String b = cmp("eq", "b", "int4", "2");
        String and = "{'op':'and','args':[" + a + "," + b + "]}";
        String or = "{'op':'or','args':[" + a + "," + b + "]}";
        String aFalse = "{'bool':{'filter':[{'exists':{'field':'a'}}],'must_not':[{'term':{'a':1}}]}}";
        String bFalse = "{'bool':{'filter':[{'exists':{'field':'b'}}],'must_not':[{'term':{'b':2}}]}}";
        assertEquals(json("{'bool':{'filter':[{'term':{'a':1}},{'term':{'b':2}}]}}"), whenTrue(and));
        assertEquals(json("{'bool':{'should':[" + aFalse + "," + bFalse + "],'minimum_should_match':1}}"),
                whenFalse(and));
        assertEquals(json("{'bool':{'should':[{'term':{'a':1}},{'term':{'b':2}}],'minimum_should_match':1}}"),
                whenTrue(or));
        assertEquals(json("{'bool':{'filter':[" + aFalse + "," + bFalse + "]}}"), whenFalse(or));
    }

    @Test
    void notOverOrOverNullableFieldsNeedsEveryFieldPresentAndNotMatching() {
        // NOT (a = 1 OR b IS NULL OR c <> 'x'): TRUE iff a present and <> 1, b present, c = 'x'
        String node = "{'op':'not','arg':{'op':'or','args':[" + cmp("eq", "a", "int4", "1")
                + ",{'op':'is_null','field':'b'}," + cmp("ne", "c", "text", "'x'") + "]}}";
        assertEquals(json("{'bool':{'filter':["
                + "{'bool':{'filter':[{'exists':{'field':'a'}}],'must_not':[{'term':{'a':1}}]}},"
                + "{'exists':{'field':'b'}},"
                + "{'term':{'c':'x'}}]}}"), topLevel(node));
    }

    @Test
    void notOverAndIsTrueWhereAnyArgumentIsFalse() {
        String node = "{'op':'not','arg':{'op':'and','args':[" + cmp("gt", "a", "int4", "1") + ","
                + cmp("lt", "b", "int4", "2") + "]}}";
        assertEquals(json("{'bool':{'filter':[{'bool':{'should':["
                + "{'bool':{'filter':[{'exists':{'field':'a'}}],'must_not':[{'range':{'a':{'gt':1}}}]}},"
                + "{'bool':{'filter':[{'exists':{'field':'b'}}],'must_not':[{'range':{'b':{'lt':2}}}]}}],"
                + "'minimum_should_match':1}}]}}"), topLevel(node));
    }

    @Test
    void doubleNegationIsTheLeafItself() {
        assertEquals(json("{'bool':{'filter':[{'term':{'a':1}}]}}"),
                topLevel("{'op':'not','arg':{'op':'not','arg':" + cmp("eq", "a", "int4", "1") + "}}"));
    }

    @Test
    void topLevelIsAlwaysABoolFilterAndAnAndBecomesItsList() {
        assertEquals(json("{'bool':{'filter':[{'term':{'a':1}}]}}"), topLevel(cmp("eq", "a", "int4", "1")));
        assertEquals(json("{'bool':{'filter':[{'term':{'a':1}},{'exists':{'field':'b'}}]}}"),
                topLevel("{'op':'and','args':[" + cmp("eq", "a", "int4", "1") + ",{'op':'is_not_null','field':'b'}]}"));
        assertEquals(json("{'bool':{'filter':[{'bool':{'should':[{'term':{'a':1}},{'term':{'a':2}}],"
                        + "'minimum_should_match':1}}]}}"),
                topLevel("{'op':'or','args':[" + cmp("eq", "a", "int4", "1") + "," + cmp("eq", "a", "int4", "2") + "]}"));
    }

    @Test
    void typesWithoutARuleAreRefused() {
        EsFdwException error = assertThrows(EsFdwException.class,
                () -> whenTrue(cmp("eq", "doc", "jsonb", "'{}'")));
        assertEquals("es_fdw cannot push down a comparison of type jsonb on field \"doc\"", error.getMessage());
    }

    @Test
    void unknownMatchesNothingEitherWay() {
        assertEquals(json("{'match_none':{}}"), whenTrue("{'op':'unknown'}"));
        assertEquals(json("{'match_none':{}}"), whenTrue("{'op':'not','arg':{'op':'unknown'}}"));
    }

    @Test
    void parameterPlaceholdersOfAGenericPlanAreShownAsTheyAre() {
        String format = ",'format':'strict_date_optional_time'";
        assertEquals(json("{'range':{'d':{'gte':'$1','lt':'$1||+1d'" + format + "}}}"),
                whenTrue(cmp("eq", "d", "date", "'$1'")));
        assertEquals(json("{'range':{'t':{'gt':'$2'" + format + "}}}"), whenTrue(cmp("gt", "t", "timestamptz", "'$2'")));
        assertEquals(json("{'term':{'n':'$3'}}"), whenTrue(cmp("eq", "n", "int4", "'$3'")));
    }
}
