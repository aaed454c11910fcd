package org.esfdw.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.query.QueryTranslator;
import org.esfdw.query.SortBuilder;
import org.esfdw.types.PgType;

/**
 * Builds the search body of a scan from its description, as a pure function: the first page's size, the
 * pushed-down query and sort, _source restricted to the fields the columns read (none at all when only
 * metadata is read), and the document version when a column wants it. The pager adds its own paging keys
 * (see PagingRequests).
 *
 * A numeric column gets the whole, unfiltered _source: filtering makes Elasticsearch and OpenSearch
 * re-serialize decimals through double (checked on ES 7.10, 7.17, 8.19 and OpenSearch 2.19: 12.50 comes
 * back as 12.5, 0.10000000000000000000001 as 0.1), while the stored _source keeps the exact text.
 */
public final class SearchBody {
    private SearchBody() {
    }

    public static ObjectNode of(ScanDescription scan) {
        ObjectNode body = Json.object();
        body.put("size", scan.firstPageSize());
        if (scan.pushdown().query() != null) {
            body.set("query", QueryTranslator.query(scan.pushdown().query()));
        }
        if (!scan.pushdown().sort().isEmpty()) {
            body.set("sort", SortBuilder.sort(scan.pushdown().sort()));
        }
        if (scan.sourceFields().isEmpty()) {
            body.put("_source", false);
        } else if (!readsNumeric(scan)) {
            ArrayNode source = body.putArray("_source");
            scan.sourceFields().forEach(source::add);
        }
        if (scan.needsField("_version")) {
            body.put("version", true);
        }
        return body;
    }

    static boolean readsNumeric(ScanDescription scan) {
        return scan.columns().stream().anyMatch(column -> column.type() == PgType.NUMERIC);
    }
}
