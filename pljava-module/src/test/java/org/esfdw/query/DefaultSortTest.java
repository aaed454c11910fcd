package org.esfdw.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.esfdw.EsFdwException;
import org.junit.jupiter.api.Test;

class DefaultSortTest {

    private static EsFdwException failure(String option) {
        return assertThrows(EsFdwException.class, () -> DefaultSort.parse(option));
    }

    @Test
    void fieldsWithOptionalDirectionsInOrder() {
        assertEquals(List.of(new SortKey("views", true, false), new SortKey("title", false, false)),
                DefaultSort.parse("views:desc,title"));
        assertEquals(List.of(new SortKey("a.b", false, false), new SortKey("c", true, false)),
                DefaultSort.parse(" a.b : ASC , c:Desc "));
    }

    @Test
    void scoreWithoutDirectionIsDescending() {
        assertEquals(List.of(new SortKey("_score", true, false), new SortKey("_score", false, false)),
                DefaultSort.parse("_score,_score:asc"));
    }

    @Test
    void sortEntriesAsElasticsearchSeesThem() {
        assertEquals("[{\"views\":{\"order\":\"desc\",\"missing\":\"_last\"}},"
                        + "{\"title\":{\"order\":\"asc\",\"missing\":\"_last\"}},{\"_score\":{\"order\":\"desc\"}}]",
                SortBuilder.sort(DefaultSort.parse("views:desc,title,_score")).toString());
    }

    @Test
    void badSyntaxIs22P02NamingTheOption() {
        EsFdwException direction = failure("views:up");
        assertEquals("22P02", direction.sqlstate());
        assertEquals("invalid value for option \"default_sort\": \"views:up\"", direction.getMessage());
        assertEquals("\"up\" after field \"views\" is not asc or desc.", direction.detail());
        assertEquals("a sort key has no field name.", failure("views,,title").detail());
        assertEquals("a sort key has no field name.", failure("views,").detail());
        assertEquals("a sort key has no field name.", failure(":desc").detail());
        assertEquals("a sort key has no field name.", failure("").detail());
        assertEquals("\"\" after field \"views\" is not asc or desc.", failure("views:").detail());
    }
}
