package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.esfdw.bridge.Bridge;
import org.esfdw.config.ScanDescription;
import org.esfdw.config.ScanDescriptionParser;
import org.esfdw.paging.Pager;
import org.esfdw.paging.Pagers;
import org.esfdw.scan.SearchBody;
import org.esfdw.testing.RowBatches;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.ServerDetector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prints (never asserts) the median latency of a 10-document scan: the one-request path against the
 * paging path it replaces (cached detection, open the point in time or scroll, one page, release).
 */
class FastPathLatencyIT {
    private static final int WARMUP = 30;
    private static final int RUNS = 150;

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void printMedianLatencyOfATenDocumentScan(String url) {
        try (TestIndex index = TestIndex.create(url, IntStream.range(0, 10).mapToObj(i -> "{\"n\":" + i + "}").toList())) {
            String scanJson = index.scanJson(100, column("n", "n", "int4", false));
            ScanDescription scan = ScanDescriptionParser.parse(utf8(scanJson));
            HttpTransport transport = new HttpTransport(scan.connection());
            Runnable fastPath = () -> assertEquals(10, scanThroughBridge(scanJson));
            Runnable pagingPath = () -> {
                Pager pager = Pagers.create(ServerDetector.detect(transport).pagingStrategy(), transport,
                        SearchBody.of(scan), scan.keepAlive(), scan.shardRules());
                pager.open();
                int rows = 0;
                for (List<?> page = pager.nextPage(100); !page.isEmpty(); page = pager.nextPage(100)) {
                    rows += page.size();
                }
                pager.close();
                assertEquals(10, rows);
            };
            double fast = medianMillis(fastPath);
            double paging = medianMillis(pagingPath);
            double fastAgain = medianMillis(fastPath);
            System.out.printf("es_fdw latency %s (%s): 10-doc scan median one-request %.2f ms (again %.2f ms),"
                    + " paging %.2f ms%n", url, ServerDetector.detect(transport).pagingStrategy(), fast, fastAgain,
                    paging);
        }
    }

    private static int scanThroughBridge(String scanJson) {
        long handle = Bridge.openScan(utf8(scanJson));
        try {
            int rows = 0;
            for (int n; (n = RowBatches.decode(Bridge.nextBatch(handle), 1).size()) > 0; ) {
                rows += n;
            }
            return rows;
        } finally {
            Bridge.endScan(handle);
        }
    }

    private static double medianMillis(Runnable scan) {
        for (int i = 0; i < WARMUP; i++) {
            scan.run();
        }
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            scan.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[RUNS / 2] / 1e6;
    }
}
