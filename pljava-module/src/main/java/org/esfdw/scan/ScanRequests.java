package org.esfdw.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.paging.PagingRequests;
import org.esfdw.query.QueryTranslator;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.IndexPath;

/**
 * Which way a scan reads (a search, a realtime multi-get of ids, or a count) and the exact first request
 * of each, as pure functions of the description: the same requests the scan sends and EXPLAIN shows.
 */
public final class ScanRequests {
    /** How a scan gets its rows. */
    enum Route {
        /** A plain _search, then a point in time or scroll if one page does not hold every match. */
        SEARCH,
        /** _mget of the ids: the whole condition is an ids test on one index, and no sort. */
        MGET,
        /** _count: C wants only the number of matches. */
        COUNT,
        /** a size-0 search with aggregations: C pushed a GROUP BY. */
        AGGREGATE
    }

    private ScanRequests() {
    }

    static Route route(ScanDescription scan) {
        if (scan.aggregate() != null) {
            return Route.AGGREGATE;
        }
        if (scan.pushdown().countOnly()) {
            return Route.COUNT;
        }
        if (scan.pushdown().idsOnly() != null && scan.pushdown().sort().isEmpty() && namesOneIndex(scan.index())) {
            return Route.MGET;
        }
        return Route.SEARCH;
    }

    /**
     * True when the name can only be one index or alias: no pattern (*), list (,), date math (<…>),
     * remote cluster (:) or _all. Whether it is an alias is found out at run time (IndexAliases).
     */
    static boolean namesOneIndex(String index) {
        return !index.isEmpty() && index.chars().noneMatch(c -> "*,:<".indexOf(c) >= 0) && !index.equals("_all");
    }

    static EsRequest search(ScanDescription scan) {
        return PagingRequests.plainSearch(scan.index(), SearchBody.of(scan));
    }

    /** POST /<index>/_mget{?_source filter} {"ids":[…]}: realtime, so it sees documents not yet refreshed. */
    static EsRequest mget(ScanDescription scan, List<String> ids) {
        ObjectNode body = Json.object();
        ArrayNode array = body.putArray("ids");
        ids.forEach(array::add);
        return EsRequest.post(IndexPath.of(scan.index()) + "/_mget" + sourceParameters(scan), body);
    }

    /** POST /<index>/_count {"query":…}, without a body when there is no condition nor raw query. */
    static EsRequest count(ScanDescription scan) {
        ObjectNode query = QueryTranslator.search(scan.pushdown());
        if (query == null) {
            return EsRequest.post(IndexPath.of(scan.index()) + "/_count", null);
        }
        ObjectNode body = Json.object();
        body.set("query", query);
        return EsRequest.post(IndexPath.of(scan.index()) + "/_count", body);
    }

    /** The first request of the scan, for EXPLAIN VERBOSE: no network, no credentials. */
    public static String explain(ScanDescription scan) {
        return switch (route(scan)) {
            case COUNT -> count(scan).toString();
            case AGGREGATE -> AggregationRequests.page(scan, scan.firstPageSize(), null).toString();
            case MGET -> mget(scan, firstIds(scan)).toString();
            case SEARCH -> search(scan).toString();
        };
    }

    /** The distinct ids in their order, as many as the first batch asks for. */
    static List<String> firstIds(ScanDescription scan) {
        return scan.pushdown().idsOnly().stream().distinct().limit(scan.firstPageSize()).toList();
    }

    /** The _source filter of a _mget, as URL parameters (see SearchBody.readsWholeSource). */
    private static String sourceParameters(ScanDescription scan) {
        if (SearchBody.readsWholeSource(scan)) {
            return "";
        }
        if (scan.sourceFields().isEmpty()) {
            return "?_source=false";
        }
        return "?_source_includes=" + scan.sourceFields().stream()
                .map(field -> URLEncoder.encode(field, StandardCharsets.UTF_8)).collect(Collectors.joining(","));
    }
}
