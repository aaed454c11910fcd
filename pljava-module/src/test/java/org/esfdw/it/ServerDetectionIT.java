package org.esfdw.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import org.esfdw.config.ConnectionOptions;
import org.esfdw.transport.Distribution;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.PagingStrategy;
import org.esfdw.transport.ServerDetector;
import org.esfdw.transport.ServerInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Server family, version and paging strategy as detected on every real server of esfdw.it.urls. */
class ServerDetectionIT {

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void detectsFamilyAndVersionAndCachesThem(String url) {
        HttpTransport transport =
                new HttpTransport(new ConnectionOptions(URI.create(url), Duration.ofSeconds(10), null, null));
        ServerInfo detected = ServerDetector.detect(transport);

        JsonNode node = TestIndex.call(url, "GET", "/_nodes/_local", null, null).path("nodes").elements().next();
        String[] version = node.path("version").asText().split("\\.");
        assertEquals(Integer.parseInt(version[0]), detected.major());
        assertEquals(Integer.parseInt(version[1]), detected.minor());
        assertEquals(expectedDistribution(node), detected.distribution());
        assertEquals(expectedStrategy(detected), detected.pagingStrategy());
        assertSame(detected, ServerDetector.detect(transport), "cached per URL");
    }

    /** Independent evidence: OpenSearch's modules live in org.opensearch; Elastic's builds state their flavor. */
    private static Distribution expectedDistribution(JsonNode node) {
        if (node.path("modules").path(0).path("classname").asText().startsWith("org.opensearch.")) {
            return Distribution.OPENSEARCH;
        }
        return "oss".equals(node.path("build_flavor").asText()) ? Distribution.ELASTICSEARCH_OSS
                : Distribution.ELASTICSEARCH;
    }

    private static PagingStrategy expectedStrategy(ServerInfo server) {
        boolean hasShardDocSort = server.major() > 7 || (server.major() == 7 && server.minor() >= 12);
        return server.distribution() == Distribution.ELASTICSEARCH && hasShardDocSort
                ? PagingStrategy.POINT_IN_TIME : PagingStrategy.SCROLL;
    }
}
