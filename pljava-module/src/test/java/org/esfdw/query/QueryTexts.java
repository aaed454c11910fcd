package org.esfdw.query;

import java.nio.charset.StandardCharsets;
import org.esfdw.config.ScanDescriptionParser;

/** Test helpers: JSON written with single quotes, and expressions parsed as the C shim would send them. */
final class QueryTexts {
    private QueryTexts() {
    }

    /** "{'a':1}" → {"a":1}, so expected JSON reads without escapes. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** The expression of a scan description whose "query" is this (single-quoted) node. */
    static Expr expr(String singleQuotedNode) {
        String scan = "{\"connection\":{\"url\":\"http://127.0.0.1:9200\"},\"index\":\"articles\",\"columns\":[],"
                + "\"query\":" + json(singleQuotedNode) + "}";
        return ScanDescriptionParser.parse(scan.getBytes(StandardCharsets.UTF_8)).pushdown().query();
    }

    static String cmp(String cmp, String field, String type, String value) {
        return "{'op':'cmp','cmp':'" + cmp + "','field':'" + field + "','type':'" + type + "','value':" + value + "}";
    }
}
