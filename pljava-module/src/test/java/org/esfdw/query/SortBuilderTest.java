package org.esfdw.query;

import static org.esfdw.query.QueryTexts.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class SortBuilderTest {

    @Test
    void keysBecomeOrderAndMissingInTheirOrder() {
        assertEquals(json("[{'published':{'order':'desc','missing':'_first'}},{'title':{'order':'asc','missing':'_last'}},"
                        + "{'n':{'order':'asc','missing':'_first'}}]"),
                Json.text(SortBuilder.sort(List.of(new SortKey("published", true, true),
                        new SortKey("title", false, false), new SortKey("n", false, true)))));
    }

    @Test
    void scoreHasNoMissing() {
        assertEquals(json("[{'_score':{'order':'desc'}}]"),
                Json.text(SortBuilder.sort(List.of(new SortKey("_score", true, true)))));
    }
}
