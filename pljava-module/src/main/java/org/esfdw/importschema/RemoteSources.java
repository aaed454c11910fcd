package org.esfdw.importschema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.importschema.RemoteSource.Kind;
import org.esfdw.json.Json;
import org.esfdw.transport.Distribution;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.IndexPath;
import org.esfdw.transport.ServerDetector;
import org.esfdw.transport.ServerInfo;

/**
 * What a remote schema names on a server, from GET /_resolve/index/<pattern>: the concrete indices, aliases
 * and data streams it matches (a data stream, never its hidden backing indices). ignore_unavailable makes
 * every server version answer a missing name the same way (8.x would otherwise refuse the whole list), so
 * names given without a wildcard are checked here. Wildcards skip hidden indices already; names starting
 * with '.' (system and internal indices, which 7.x and 8.x still match with "*") are kept only when the
 * pattern asks for them with a part starting with '.'.
 */
final class RemoteSources {
    private RemoteSources() {
    }

    static List<RemoteSource> resolve(HttpTransport transport, String pattern) {
        String server = transport.connection().displayUrl();
        requireResolveIndex(ServerDetector.detect(transport), server);
        String expression = String.join(",", parts(pattern));
        EsRequest request = EsRequest.get("/_resolve/index" + IndexPath.of(expression) + "?ignore_unavailable=true");
        return fromResolveAnswer(Json.parse(transport.send(request).body()), pattern, server);
    }

    /** GET /_resolve/index appeared in Elasticsearch 7.9; every OpenSearch has it. */
    static void requireResolveIndex(ServerInfo info, String server) {
        boolean elastic = info.distribution() == Distribution.ELASTICSEARCH
                || info.distribution() == Distribution.ELASTICSEARCH_OSS;
        if (elastic && (info.major() < 7 || (info.major() == 7 && info.minor() < 9))) {
            throw new EsFdwException(SqlState.FDW_ERROR, "IMPORT FOREIGN SCHEMA needs Elasticsearch 7.9 or "
                    + "later, and the server at " + server + " runs " + info.major() + "." + info.minor(), null,
                    "Create the foreign tables with CREATE FOREIGN TABLE instead.");
        }
    }

    static List<RemoteSource> fromResolveAnswer(JsonNode answer, String pattern, String server) {
        List<RemoteSource> sources = new ArrayList<>();
        for (JsonNode index : answer.path("indices")) {
            sources.add(new RemoteSource(index.path("name").asText(), Kind.INDEX, isClosed(index)));
        }
        answer.path("aliases").forEach(alias ->
                sources.add(new RemoteSource(alias.path("name").asText(), Kind.ALIAS, false)));
        answer.path("data_streams").forEach(stream ->
                sources.add(new RemoteSource(stream.path("name").asText(), Kind.DATA_STREAM, false)));
        requireNamedOnesExist(sources, pattern, server);
        boolean asksForDotNames = parts(pattern).stream().anyMatch(part -> part.startsWith("."));
        List<RemoteSource> wanted = sources.stream().filter(s -> asksForDotNames || !s.name().startsWith("."))
                .sorted(Comparator.comparing(RemoteSource::name)).toList();
        if (wanted.isEmpty()) {
            throw new EsFdwException(SqlState.SCHEMA_NOT_FOUND, "remote schema \"" + pattern
                    + "\" matches no index, alias or data stream on Elasticsearch at " + server, null,
                    "The remote schema is an index, alias or data stream name, a pattern such as \"logs-*\" or a comma "
                            + "list of these; GET /_resolve/index/<pattern> shows what a pattern matches. Names "
                            + "starting with '.' are only matched by a pattern that starts with '.'.");
        }
        return wanted;
    }

    private static boolean isClosed(JsonNode index) {
        for (JsonNode attribute : index.path("attributes")) {
            if (attribute.asText().equals("closed")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A part without a wildcard names one index, alias or data stream: a missing one is an error. Exclusions
     * ("-logs-old*"), date math ("<logs-{now/d}>") and _all name nothing by themselves.
     */
    private static void requireNamedOnesExist(List<RemoteSource> sources, String pattern, String server) {
        Set<String> missing = new TreeSet<>();
        for (String part : parts(pattern)) {
            boolean named = !part.contains("*") && !part.startsWith("-") && !part.startsWith("<")
                    && !part.equals("_all");
            if (named && sources.stream().noneMatch(s -> s.name().equals(part))) {
                missing.add(part);
            }
        }
        if (!missing.isEmpty()) {
            throw new EsFdwException(SqlState.SCHEMA_NOT_FOUND, "no index, alias or data stream named \""
                    + String.join("\", \"", missing) + "\" on Elasticsearch at " + server, "The remote schema is \""
                    + pattern + "\".", "Check the remote schema of IMPORT FOREIGN SCHEMA.");
        }
    }

    /** "logs-*, -logs-old*" → ["logs-*", "-logs-old*"] */
    private static List<String> parts(String pattern) {
        return Arrays.stream(pattern.split(",")).map(String::strip).filter(part -> !part.isEmpty()).toList();
    }
}
