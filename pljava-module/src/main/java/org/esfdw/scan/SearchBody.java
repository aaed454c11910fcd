package org.esfdw.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.query.QueryTranslator;
import org.esfdw.query.SortBuilder;
import org.esfdw.query.SortKey;
import org.esfdw.types.PgType;

/**
 * Builds the search body of a scan from its description, as a pure function: the first page's size, the
 * pushed-down query (with the raw query) and sort, the highlights asked for, _source restricted to the
 * fields the columns read (none at all when only metadata is read, all of it for a _source column), and
 * the document version when a column wants it. The pager adds its own paging keys (see PagingRequests);
 * forPaging gives a scoring search without a sort its relevance order, which the paging tiebreak would
 * otherwise replace.
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
        ObjectNode query = QueryTranslator.search(scan.pushdown());
        if (query != null) {
            body.set("query", query);
        }
        if (!scan.pushdown().sort().isEmpty()) {
            body.set("sort", SortBuilder.sort(scan.pushdown().sort()));
            if (scan.pushdown().scores() && scan.needsField("_score")) {
                body.put("track_scores", true);
            }
        }
        if (!scan.pushdown().highlight().isEmpty()) {
            ObjectNode fields = body.putObject("highlight").putObject("fields");
            scan.pushdown().highlight().forEach(fields::putObject);
        }
        if (scan.sourceFields().isEmpty() && !readsWholeSource(scan)) {
            body.put("_source", false);
        } else if (!readsWholeSource(scan)) {
            ArrayNode source = body.putArray("_source");
            scan.sourceFields().forEach(source::add);
        }
        if (scan.needsField("_version")) {
            body.put("version", true);
        }
        if (scan.needsField("_seq_no") || scan.needsField("_primary_term")) {
            body.put("seq_no_primary_term", true);
        }
        return body;
    }

    /**
     * The body the pagers start from: a search that scores and has no sort of its own pages by _score
     * descending (before the tiebreak); the one-request first page gets that order without asking.
     */
    public static ObjectNode forPaging(ObjectNode searchBody, ScanDescription scan) {
        ObjectNode body = searchBody.deepCopy();
        if (!body.has("sort") && scan.pushdown().scores()) {
            body.set("sort", SortBuilder.sort(List.of(new SortKey(SortKey.SCORE, true, true))));
        }
        return body;
    }

    /** A numeric column (exact decimals) or a _source column needs the unfiltered _source. */
    static boolean readsWholeSource(ScanDescription scan) {
        return scan.needsField("_source")
                || scan.columns().stream().anyMatch(c -> !c.isMetadata() && c.type() == PgType.NUMERIC);
    }
}
