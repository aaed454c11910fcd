package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.esfdw.bridge.Bridge;
import org.esfdw.json.Json;
import org.esfdw.testing.RowBatches;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pushed-down GROUP BY against the real servers of esfdw.it.urls: groups paged through a composite
 * aggregation (a page of 2 groups, so after_key is followed), a missing value as its own group, date
 * keys by UTC day, value counts and min/max. Document i of 12: k is "k" + i%4 (none when i%5 == 0),
 * n = i (none when i is 7), d is 2024-03-(1 + i%3) at 23:30 UTC.
 */
class AggregationIT {
    private static final String PROPERTIES = """
            {"k":{"type":"keyword"},"n":{"type":"integer"},"d":{"type":"date"}}""";

    static String document(int i) {
        var doc = Json.object().put("d", "2024-03-0" + (1 + i % 3) + "T23:30:00Z");
        if (i % 5 != 0) {
            doc.put("k", "k" + i % 4);
        }
        if (i != 7) {
            doc.put("n", i);
        }
        return Json.text(doc);
    }

    private static List<List<String>> rows(TestIndex index, int outputs, String aggregate) {
        String json = index.scanJson(2, IntStream.range(0, outputs)
                .mapToObj(i -> column("o" + i, "o" + i, i == 0 ? "text" : "int8", false)).toArray(String[]::new));
        byte[] scan = utf8(json.substring(0, json.length() - 1) + ",\"aggregate\":" + aggregate + "}");
        long handle = Bridge.openScan(scan);
        List<List<String>> rows = new ArrayList<>();
        try {
            List<List<String>> batch;
            while (!(batch = RowBatches.decode(Bridge.nextBatch(handle), outputs)).isEmpty()) {
                batch.forEach(row -> rows.add(row.subList(1, row.size())));
            }
        } finally {
            Bridge.endScan(handle);
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void groupsCountsAndMinMaxMatchTheDocuments(String url) {
        try (TestIndex index = TestIndex.create(url, PROPERTIES, IntStream.range(0, 12).mapToObj(AggregationIT::document).toList())) {
            List<List<String>> rows = rows(index, 4, """
                    {"group_by":[{"field":"k","type":"text"}],"outputs":[{"name":"o0","kind":"group","group":0},
                     {"name":"o1","kind":"count"},{"name":"o2","kind":"count_field","field":"n","type":"int8"},
                     {"name":"o3","kind":"max","field":"n","type":"int4"}]}""");
            // documents 0, 5, 10 have no k; k1: 1, 9; k2: 2, 6; k3: 3, 7 (no n), 11; k0: 4, 8
            assertEquals(List.of(List.of("k0", "2", "2", "8"), List.of("k1", "2", "2", "9"), List.of("k2", "2", "2", "6"),
                    List.of("k3", "3", "2", "11")), rows.subList(rows.get(0).get(0) == null ? 1 : 0, rows.size())
                    .stream().filter(r -> r.get(0) != null).toList());
            assertEquals(List.of(java.util.Arrays.asList(null, "3", "3", "10")),
                    rows.stream().filter(r -> r.get(0) == null).toList());
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void dateGroupsAreUtcDays(String url) {
        try (TestIndex index = TestIndex.create(url, PROPERTIES, IntStream.range(0, 12).mapToObj(AggregationIT::document).toList())) {
            String json = index.scanJson(2, column("o0", "o0", "date", false), column("o1", "o1", "int8", false));
            byte[] scan = utf8(json.substring(0, json.length() - 1) + ",\"aggregate\":{\"group_by\":[{\"field\":\"d\","
                    + "\"type\":\"date\"}],\"outputs\":[{\"name\":\"o0\",\"kind\":\"group\",\"group\":0},"
                    + "{\"name\":\"o1\",\"kind\":\"count\"}]}}");
            long handle = Bridge.openScan(scan);
            List<String> days = new ArrayList<>();
            try {
                List<List<String>> batch;
                while (!(batch = RowBatches.decode(Bridge.nextBatch(handle), 2)).isEmpty()) {
                    batch.forEach(row -> days.add(row.get(1) + "=" + row.get(2)));
                }
            } finally {
                Bridge.endScan(handle);
            }
            assertEquals(List.of("2024-03-01=4", "2024-03-02=4", "2024-03-03=4"), days);
        }
    }
}
