package org.esfdw.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.esfdw.json.Json;

/**
 * The Elasticsearch Query DSL nodes es_fdw writes, as pure constructors with one spelling each, so the
 * translation reads as rules and its tests can compare exact JSON.
 */
final class Dsl {
    /** The date format of every date and timestamp range: ISO text, read the same on every server. */
    static final String DATE_FORMAT = "strict_date_optional_time";

    private Dsl() {
    }

    /** {"term":{"f":v}} */
    static ObjectNode term(String field, JsonNode value) {
        ObjectNode query = Json.object();
        query.putObject("term").set(field, value);
        return query;
    }

    /** {"terms":{"f":[v,…]}} */
    static ObjectNode terms(String field, List<JsonNode> values) {
        ObjectNode query = Json.object();
        query.putObject("terms").putArray(field).addAll(values);
        return query;
    }

    /** {"range":{"f":{"gte":a,"lt":b[,"format":…]}}}, bounds in the order given. */
    static ObjectNode range(String field, Map<String, JsonNode> bounds, String format) {
        ObjectNode query = Json.object();
        ObjectNode spec = query.putObject("range").putObject(field);
        bounds.forEach(spec::set);
        if (format != null) {
            spec.put("format", format);
        }
        return query;
    }

    /** {"exists":{"field":"f"}}: the document has a non-null value for f. */
    static ObjectNode exists(String field) {
        ObjectNode query = Json.object();
        query.putObject("exists").put("field", field);
        return query;
    }

    /** {"ids":{"values":[…]}} */
    static ObjectNode ids(List<String> values) {
        ObjectNode query = Json.object();
        ArrayNode array = query.putObject("ids").putArray("values");
        values.forEach(array::add);
        return query;
    }

    /** {"prefix"|"wildcard":{"f":{"value":…[,"case_insensitive":true]}}} */
    static ObjectNode pattern(String kind, String field, String value, boolean caseInsensitive) {
        ObjectNode query = Json.object();
        ObjectNode spec = query.putObject(kind).putObject(field).put("value", value);
        if (caseInsensitive) {
            spec.put("case_insensitive", true);
        }
        return query;
    }

    /** {"query_string":{"query":"…"}} */
    static ObjectNode queryString(String text) {
        ObjectNode query = Json.object();
        query.putObject("query_string").put("query", text);
        return query;
    }

    /** {"match":{"f":{"query":"…"}}} */
    static ObjectNode match(String field, String text) {
        ObjectNode query = Json.object();
        query.putObject("match").putObject(field).put("query", text);
        return query;
    }

    /** {"bool":{"must":[…],"filter":[…]}}: scoring queries and filters, either list left out when empty. */
    static ObjectNode mustAndFilter(List<ObjectNode> must, List<ObjectNode> filter) {
        ObjectNode query = Json.object();
        ObjectNode bool = query.putObject("bool");
        if (!must.isEmpty()) {
            bool.putArray("must").addAll(must);
        }
        if (!filter.isEmpty()) {
            bool.putArray("filter").addAll(filter);
        }
        return query;
    }

    static ObjectNode matchNone() {
        ObjectNode query = Json.object();
        query.putObject("match_none");
        return query;
    }

    /** Every query matches: {"bool":{"filter":[…]}}, or the query itself when it is the only one. */
    static ObjectNode allOf(List<ObjectNode> queries) {
        if (queries.size() == 1) {
            return queries.get(0);
        }
        return bool("filter", queries);
    }

    /** At least one query matches: {"bool":{"should":[…],"minimum_should_match":1}}, or the only one. */
    static ObjectNode anyOf(List<ObjectNode> queries) {
        if (queries.size() == 1) {
            return queries.get(0);
        }
        ObjectNode query = bool("should", queries);
        ((ObjectNode) query.get("bool")).put("minimum_should_match", 1);
        return query;
    }

    /** {"bool":{"must_not":[q]}} */
    static ObjectNode not(ObjectNode query) {
        return bool("must_not", List.of(query));
    }

    /** The field has a value and q does not match: {"bool":{"filter":[exists],"must_not":[q]}}. */
    static ObjectNode existsAndNot(String field, ObjectNode query) {
        ObjectNode bool = bool("filter", List.of(exists(field)));
        ((ObjectNode) bool.get("bool")).putArray("must_not").add(query);
        return bool;
    }

    /** {"bool":{"filter":[…]}} even for a single query: the top-level form (no scoring). */
    static ObjectNode filter(List<ObjectNode> queries) {
        return bool("filter", queries);
    }

    private static ObjectNode bool(String occurrence, List<ObjectNode> queries) {
        ObjectNode query = Json.object();
        query.putObject("bool").putArray(occurrence).addAll(queries);
        return query;
    }
}
