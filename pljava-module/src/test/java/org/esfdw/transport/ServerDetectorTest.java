package org.esfdw.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.esfdw.EsFdwException;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class ServerDetectorTest {
    private static final String SERVER = "http://h:9200";

    private static ServerInfo nodes(String json, boolean elasticHeader) {
        return ServerDetector.fromNodesInfo(Json.parse(json.getBytes(StandardCharsets.UTF_8)), elasticHeader, SERVER);
    }

    private static ServerInfo root(String json) {
        return ServerDetector.fromRootInfo(Json.parse(json.getBytes(StandardCharsets.UTF_8)), SERVER);
    }

    @Test
    void readsElasticsearchDefaultAndOssFromNodesInfo() {
        assertEquals(new ServerInfo(Distribution.ELASTICSEARCH, 8, 19),
                nodes("{\"nodes\":{\"n1\":{\"version\":\"8.19.0\",\"build_flavor\":\"default\",\"build_type\":\"zip\"}}}", true));
        assertEquals(new ServerInfo(Distribution.ELASTICSEARCH_OSS, 7, 10),
                nodes("{\"nodes\":{\"n1\":{\"version\":\"7.10.2\",\"build_flavor\":\"oss\",\"build_type\":\"zip\"}}}",
                        false));
    }

    @Test
    void nodeWithoutBuildFlavorIsOpenSearchUnlessElasticSaysOtherwise() {
        assertEquals(new ServerInfo(Distribution.OPENSEARCH, 2, 19),
                nodes("{\"nodes\":{\"n1\":{\"version\":\"2.19.6\",\"build_type\":\"zip\"}}}", false));
        assertEquals(new ServerInfo(Distribution.ELASTICSEARCH, 9, 5),
                nodes("{\"nodes\":{\"n1\":{\"version\":\"9.5.0-SNAPSHOT\",\"build_type\":\"zip\"}}}", true));
    }

    @Test
    void readsRootInfoOfEitherFamily() {
        assertEquals(new ServerInfo(Distribution.OPENSEARCH, 2, 19),
                root("{\"version\":{\"distribution\":\"opensearch\",\"number\":\"2.19.6\"}}"));
        assertEquals(new ServerInfo(Distribution.ELASTICSEARCH, 8, 15),
                root("{\"version\":{\"number\":\"8.15.0\",\"build_flavor\":\"default\"}}"));
    }

    @Test
    void unreadableVersionNamesTheServer() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> nodes("{}", true));
        assertEquals("could not read the version of the server at " + SERVER + " from GET " + ServerDetector.NODES_INFO,
                error.getMessage());
    }

    @Test
    void pointInTimeOnlyForElasticsearchDefaultFrom712() {
        assertEquals(PagingStrategy.POINT_IN_TIME, new ServerInfo(Distribution.ELASTICSEARCH, 7, 12).pagingStrategy());
        assertEquals(PagingStrategy.POINT_IN_TIME, new ServerInfo(Distribution.ELASTICSEARCH, 9, 0).pagingStrategy());
        assertEquals(PagingStrategy.SCROLL, new ServerInfo(Distribution.ELASTICSEARCH, 7, 11).pagingStrategy());
        assertEquals(PagingStrategy.SCROLL, new ServerInfo(Distribution.ELASTICSEARCH_OSS, 7, 17).pagingStrategy());
        assertEquals(PagingStrategy.SCROLL, new ServerInfo(Distribution.OPENSEARCH, 2, 19).pagingStrategy());
        assertEquals(PagingStrategy.SCROLL, ServerInfo.UNIDENTIFIED.pagingStrategy());
    }
}
