package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.esfdw.EsFdwException;
import org.esfdw.bridge.Bridge;
import org.esfdw.bridge.InterruptedByPostgres;
import org.esfdw.bridge.PgInterrupts;
import org.esfdw.testing.RowBatches;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole scans through the JNI entry points against every real server of esfdw.it.urls. */
class ScanIT {
    private static final int DOCUMENTS = 23;
    private static final int FETCH_SIZE = 5;
    private static final String ID_AND_N = column("id", "_id", "text", false) + "," + column("n", "n", "int4", false);

    private static TestIndex numbered(String url) {
        return TestIndex.create(url, IntStream.range(0, DOCUMENTS).mapToObj(i -> "{\"n\":" + i + "}").toList());
    }

    /** Reads batches until the empty one, then ends the scan; returns the rows of every batch. */
    private static List<List<List<String>>> readAll(long handle, int columns) {
        List<List<List<String>>> batches = new ArrayList<>();
        try {
            List<List<String>> batch;
            while (!(batch = RowBatches.decode(Bridge.nextBatch(handle), columns)).isEmpty()) {
                batches.add(batch);
            }
        } finally {
            Bridge.endScan(handle);
        }
        return batches;
    }

    private static void assertEveryDocumentOnce(List<List<List<String>>> batches) {
        List<String> ids = batches.stream().flatMap(List::stream).map(row -> row.get(0)).toList();
        assertEquals(DOCUMENTS, ids.size(), "rows returned");
        assertEquals(DOCUMENTS, new HashSet<>(ids).size(), "distinct documents");
        for (List<String> row : batches.stream().flatMap(List::stream).toList()) {
            assertEquals(row.get(0), row.get(1), "_id column");
            assertEquals("doc-" + row.get(2), row.get(0), "n matches the document");
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void fullScanPagesThroughEveryDocumentExactlyOnceAndReleasesTheContext(String url) {
        try (TestIndex index = numbered(url)) {
            long handle = Bridge.openScan(utf8(index.scanJson(FETCH_SIZE, ID_AND_N)));
            List<List<List<String>>> batches = readAll(handle, 2);
            assertTrue(batches.size() > 3, "more than 3 pages, got " + batches.size());
            batches.forEach(batch -> assertTrue(batch.size() <= FETCH_SIZE, "page size"));
            assertEveryDocumentOnce(batches);
            assertEquals(0, TestIndex.openContexts(url), "open search contexts after the scan");
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void endScanInTheMiddleReleasesTheContext(String url) {
        try (TestIndex index = numbered(url)) {
            long handle = Bridge.openScan(utf8(index.scanJson(FETCH_SIZE, ID_AND_N)));
            assertEquals(FETCH_SIZE, RowBatches.decode(Bridge.nextBatch(handle), 2).size());
            assertTrue(TestIndex.openContexts(url) > 0, "a context is open while paging");
            Bridge.endScan(handle);
            assertEquals(0, TestIndex.openContexts(url), "open search contexts after endScan");
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void postgresCancelBetweenPagesReleasesTheContext(String url) {
        try (TestIndex index = numbered(url)) {
            long handle = Bridge.openScan(utf8(index.scanJson(FETCH_SIZE, ID_AND_N)));
            Bridge.nextBatch(handle);
            PgInterrupts.setPoller(() -> true);
            try {
                assertThrows(InterruptedByPostgres.class, () -> Bridge.nextBatch(handle));
            } finally {
                PgInterrupts.setPoller(null);
                Bridge.endScan(handle);
            }
            // the cancelled page request may still run on the server for a moment
            assertEquals(0, TestIndex.openContextsSettled(url), "open search contexts after the cancel");
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void rescanStartsOverFromTheFirstDocument(String url) {
        try (TestIndex index = numbered(url)) {
            long handle = Bridge.openScan(utf8(index.scanJson(FETCH_SIZE, ID_AND_N)));
            Bridge.nextBatch(handle);
            Bridge.nextBatch(handle);
            Bridge.rescan(handle);
            assertEveryDocumentOnce(readAll(handle, 2));
            assertEquals(0, TestIndex.openContexts(url), "open search contexts after rescan and end");
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void missingIndexIsTableNotFoundNamingIndexAndServer(String url) {
        String scan = TestIndex.scanJson(url, "esfdw-it-no-such-index", FETCH_SIZE, ID_AND_N);
        EsFdwException error = assertThrows(EsFdwException.class, () -> readAll(Bridge.openScan(utf8(scan)), 2));
        assertEquals("HV00R", error.sqlstate());
        assertEquals("index \"esfdw-it-no-such-index\" does not exist on Elasticsearch at " + url, error.getMessage());
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void valuesArriveInTheirPostgresInputSyntax(String url) {
        String document = """
                {"title":"party 🎉","price":0.10000000000000000000001,"tags":["a","b \\"c\\""],
                 "author":{"name":"Ann"},"a.b":"literal","when":"2024-01-02T03:04:05.123+01:00"}""";
        try (TestIndex index = TestIndex.create(url, List.of(document))) {
            String scan = index.scanJson(10, column("title", "title", "text", false),
                    column("price", "price", "numeric", false), column("tags", "tags", "text", true),
                    column("author", "author.name", "text", false), column("ab", "a.b", "text", false),
                    column("when", "when", "timestamptz", false), column("missing", "nothing", "int8", false),
                    column("index", "_index", "text", false));
            List<List<String>> rows = readAll(Bridge.openScan(utf8(scan)), 8).get(0);
            assertEquals(List.of("doc-0", "party 🎉", "0.10000000000000000000001", "{\"a\",\"b \\\"c\\\"\"}", "Ann",
                    "literal", "2024-01-02 02:04:05.123+00"), rows.get(0).subList(0, 7));
            assertEquals(null, rows.get(0).get(7));
            assertEquals(index.name, rows.get(0).get(8));
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void badValueFailsTheScanAndReleasesTheContext(String url) {
        List<String> documents = new ArrayList<>(IntStream.range(0, 8).mapToObj(i -> "{\"n\":" + i + "}").toList());
        documents.add("{\"n\":\"not a number\"}");
        try (TestIndex index = TestIndex.create(url, "{\"n\":{\"type\":\"keyword\"}}", documents)) {
            long handle = Bridge.openScan(utf8(index.scanJson(3, ID_AND_N)));
            EsFdwException error = assertThrows(EsFdwException.class, () -> readAll(handle, 2));
            assertEquals("22P02", error.sqlstate());
            assertEquals("invalid value for column \"n\" of type integer in document \"doc-8\": \"not a number\" is not a number",
                    error.getMessage());
            assertEquals(0, TestIndex.openContexts(url), "open search contexts after the failed scan");
        }
    }
}
