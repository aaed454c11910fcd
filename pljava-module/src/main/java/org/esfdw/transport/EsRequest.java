package org.esfdw.transport;

import com.fasterxml.jackson.databind.JsonNode;
import org.esfdw.json.Json;

/**
 * One Elasticsearch REST call: method, path with query string, optional JSON body or newline-delimited
 * JSON (a _bulk body, sent as given). Its text form is what EXPLAIN shows; it never holds credentials
 * (those travel as a header added by the transport).
 */
public record EsRequest(String method, String pathAndQuery, JsonNode body, byte[] ndjson) {

    public EsRequest(String method, String pathAndQuery, JsonNode body) {
        this(method, pathAndQuery, body, null);
    }

    /** A POST whose body is newline-delimited JSON, e.g. _bulk. */
    public static EsRequest postNdjson(String pathAndQuery, byte[] ndjson) {
        return new EsRequest("POST", pathAndQuery, null, ndjson);
    }

    public static EsRequest head(String pathAndQuery) {
        return new EsRequest("HEAD", pathAndQuery, null);
    }

    public static EsRequest get(String pathAndQuery) {
        return new EsRequest("GET", pathAndQuery, null);
    }

    public static EsRequest post(String pathAndQuery, JsonNode body) {
        return new EsRequest("POST", pathAndQuery, body);
    }

    public static EsRequest delete(String pathAndQuery, JsonNode body) {
        return new EsRequest("DELETE", pathAndQuery, body);
    }

    /** "POST /articles/_search" */
    public String line() {
        return method + " " + pathAndQuery;
    }

    @Override
    public String toString() {
        if (ndjson != null) {
            return line() + " (" + ndjson.length + " bytes of NDJSON)";
        }
        return body == null ? line() : line() + " " + Json.text(body);
    }
}
