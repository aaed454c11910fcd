package org.esfdw.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.IndexPath;

/**
 * Builds the search body of a scan from its description, as a pure function: the page size, _source
 * restricted to the fields the columns read (none at all when only metadata is read), and the document
 * version when a column wants it. The pager adds its own paging keys (see PagingRequests).
 */
public final class SearchBody {
    private SearchBody() {
    }

    public static ObjectNode of(ScanDescription scan) {
        ObjectNode body = Json.object();
        body.put("size", scan.fetchSize());
        if (scan.sourceFields().isEmpty()) {
            body.put("_source", false);
        } else {
            ArrayNode source = body.putArray("_source");
            scan.sourceFields().forEach(source::add);
        }
        if (scan.needsField("_version")) {
            body.put("version", true);
        }
        return body;
    }

    /** What EXPLAIN VERBOSE shows: the first page's search, without paging state or credentials. */
    public static String explain(ScanDescription scan) {
        return EsRequest.post(IndexPath.of(scan.index()) + "/_search", of(scan)).toString();
    }
}
