package org.esfdw.query;

import static org.esfdw.query.QueryTexts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.esfdw.EsFdwException;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class LikePatternTest {

    private static String like(String pattern) {
        return Json.text(LikePattern.query("f", pattern, false));
    }

    @Test
    void literalPrefixFollowedOnlyByPercentIsAPrefixQuery() {
        assertEquals(json("{'prefix':{'f':{'value':'abc'}}}"), like("abc%"));
        assertEquals(json("{'prefix':{'f':{'value':'abc'}}}"), like("abc%%"));
        assertEquals(json("{'prefix':{'f':{'value':'a%_c'}}}"), like("a\\%\\_c%"));
        assertEquals(json("{'prefix':{'f':{'value':'🎉é'}}}"), like("🎉é%"));
    }

    @Test
    void percentAloneMatchesAnyValueOfTheField() {
        assertEquals(json("{'exists':{'field':'f'}}"), like("%"));
    }

    @Test
    void otherPatternsAreWildcardsWithElasticsearchSyntaxEscaped() {
        assertEquals(json("{'wildcard':{'f':{'value':'*abc'}}}"), like("%abc"));
        assertEquals(json("{'wildcard':{'f':{'value':'a?c*'}}}"), like("a_c%"));
        assertEquals(json("{'wildcard':{'f':{'value':'abc'}}}"), like("abc"));
        assertEquals(json("{'wildcard':{'f':{'value':'a*b*'}}}"), like("a%b%"));
        assertEquals(json("{'wildcard':{'f':{'value':'\\\\*\\\\?\\\\\\\\?'}}}"), like("*?\\\\_"));
        assertEquals(json("{'prefix':{'f':{'value':'*?\\\\'}}}"), like("*?\\\\%"));
        assertEquals(json("{'wildcard':{'f':{'value':'x\\\\*?'}}}"), like("x*_"));
        assertEquals(json("{'prefix':{'f':{'value':'x*'}}}"), like("x*%"));
    }

    @Test
    void backslashMakesTheNextCharacterLiteral() {
        assertEquals(json("{'wildcard':{'f':{'value':'100%'}}}"), like("100\\%"));
        assertEquals(json("{'wildcard':{'f':{'value':'a_b'}}}"), like("a\\_b"));
        assertEquals(json("{'wildcard':{'f':{'value':'ab'}}}"), like("\\a\\b"));
    }

    @Test
    void ilikeAddsCaseInsensitive() {
        assertEquals(json("{'prefix':{'f':{'value':'ab','case_insensitive':true}}}"),
                Json.text(LikePattern.query("f", "ab%", true)));
        assertEquals(json("{'wildcard':{'f':{'value':'?b','case_insensitive':true}}}"),
                Json.text(LikePattern.query("f", "_b", true)));
    }

    @Test
    void trailingEscapeIsPostgresqlsError() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> like("abc\\"));
        assertEquals("22025", error.sqlstate());
        assertEquals("LIKE pattern must not end with escape character", error.getMessage());
    }

    @Test
    void ilikeWithNonAsciiCasedLettersIsARegexpOfCaseClasses() {
        assertEquals(json("{'regexp':{'f':{'value':'[üÜ][nN]\\\\..[iI].*'}}}"),
                Json.text(LikePattern.query("f", "ün._i%", true)));
        assertEquals(json("{'prefix':{'f':{'value':'ün'}}}"),
                Json.text(LikePattern.query("f", "ün%", false)));
        assertEquals(json("{'prefix':{'f':{'value':'🎉a','case_insensitive':true}}}"),
                Json.text(LikePattern.query("f", "🎉a%", true)));
    }
}
