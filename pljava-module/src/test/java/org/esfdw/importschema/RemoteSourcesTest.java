package org.esfdw.importschema;

import static org.esfdw.importschema.Fixtures.json;
import static org.esfdw.importschema.Fixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.importschema.RemoteSource.Kind;
import org.esfdw.transport.Distribution;
import org.esfdw.transport.ServerInfo;
import org.junit.jupiter.api.Test;

/**
 * resolve-all.json is GET /_resolve/index/* on Elasticsearch 8.19.0 holding an alias over two indices, a
 * data stream with three backing indices and an alias over it, and ".imp_dot", a dot-named index that is
 * not hidden (which "*" matches).
 */
class RemoteSourcesTest {
    private static final String SERVER = "http://127.0.0.1:9200";

    @Test
    void indicesAliasesAndDataStreamsButNoDotNamesForAPlainPattern() {
        assertEquals(List.of(new RemoteSource("imp_logs", Kind.ALIAS, false),
                        new RemoteSource("imp_logs-2024.01", Kind.INDEX, false),
                        new RemoteSource("imp_logs-2024.02", Kind.INDEX, false),
                        new RemoteSource("imp_metrics", Kind.ALIAS, false),
                        new RemoteSource("imp_metrics-app", Kind.DATA_STREAM, false)),
                RemoteSources.fromResolveAnswer(resource("resolve-all.json"), "*", SERVER));
    }

    @Test
    void dotNamesWhenThePatternAsksForThem() {
        List<RemoteSource> sources = RemoteSources.fromResolveAnswer(resource("resolve-all.json"), "*,.imp*", SERVER);
        assertEquals(new RemoteSource(".imp_dot", Kind.INDEX, false), sources.get(0));
        assertEquals(6, sources.size());
    }

    @Test
    void closedIndices() {
        // GET /_resolve/index/regress_closed on Elasticsearch 8.19.0
        assertEquals(List.of(new RemoteSource("regress_closed", Kind.INDEX, true)), RemoteSources.fromResolveAnswer(
                json("{\"indices\":[{\"name\":\"regress_closed\",\"attributes\":[\"closed\"]}],\"aliases\":[],"
                        + "\"data_streams\":[]}"), "regress_closed", SERVER));
    }

    @Test
    void aPatternMatchingNothingIsAnError() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> RemoteSources.fromResolveAnswer(
                json("{\"indices\":[],\"aliases\":[],\"data_streams\":[]}"), "nothing*", SERVER));
        assertEquals(SqlState.SCHEMA_NOT_FOUND, error.sqlstate());
        assertEquals("remote schema \"nothing*\" matches no index, alias or data stream on Elasticsearch at "
                + "http://127.0.0.1:9200", error.getMessage());
    }

    @Test
    void onlyDotNamesMatchingAPlainPatternIsAnError() {
        assertThrows(EsFdwException.class, () -> RemoteSources.fromResolveAnswer(json(
                "{\"indices\":[{\"name\":\".imp_dot\",\"attributes\":[\"open\"]}],\"aliases\":[],\"data_streams\":[]}"),
                "*imp*", SERVER));
    }

    @Test
    void aNamedIndexThatDoesNotExistIsAnError() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> RemoteSources.fromResolveAnswer(
                resource("resolve-all.json"), "imp_logs, imp_missing ,imp_*,-imp_m*", SERVER));
        assertEquals(SqlState.SCHEMA_NOT_FOUND, error.sqlstate());
        assertEquals("no index, alias or data stream named \"imp_missing\" on Elasticsearch at http://127.0.0.1:9200",
                error.getMessage());
        assertEquals("The remote schema is \"imp_logs, imp_missing ,imp_*,-imp_m*\".", error.detail());
    }

    @Test
    void elasticsearchBefore79HasNoResolveIndex() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> RemoteSources.requireResolveIndex(
                new ServerInfo(Distribution.ELASTICSEARCH_OSS, 7, 8), SERVER));
        assertEquals(SqlState.FDW_ERROR, error.sqlstate());
        assertEquals("IMPORT FOREIGN SCHEMA needs Elasticsearch 7.9 or later, and the server at http://127.0.0.1:9200 "
                + "runs 7.8", error.getMessage());
        RemoteSources.requireResolveIndex(new ServerInfo(Distribution.ELASTICSEARCH, 7, 10), SERVER);
        RemoteSources.requireResolveIndex(new ServerInfo(Distribution.OPENSEARCH, 1, 0), SERVER);
        RemoteSources.requireResolveIndex(ServerInfo.UNIDENTIFIED, SERVER);
    }
}
