package org.esfdw.write;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.json.Json;

/**
 * Reads a _bulk answer: which items failed and why. A delete of a missing document is no failure (the
 * row is gone either way). Items refused as es_rejected_execution_exception (a full write queue) may be
 * retried; every other failure — mapping errors, existing ids under op_type create, read-only index blocks
 * (429 cluster_block_exception, which a retry would never get past) — fails the write, naming the
 * document, the index, Elasticsearch's reason and a hint.
 */
final class BulkResult {
    /** Positions (in the request) of items worth sending again. */
    final List<Integer> retryable = new ArrayList<>();
    private final List<Failure> failures = new ArrayList<>();
    private final List<WriteAction> sent;

    /** A refused item: its position in the request and its answer. */
    private record Failure(int position, JsonNode item) {
    }

    private BulkResult(List<WriteAction> sent) {
        this.sent = sent;
    }

    /** The answer to a request of the actions sent (BulkBody.ANSWER_FILTER: errors, items' status and error). */
    static BulkResult parse(byte[] body, List<WriteAction> sent) {
        BulkResult result = new BulkResult(sent);
        if (reportsNoErrors(body)) {
            return result;
        }
        JsonNode answer = Json.parse(body);
        if (!answer.path("errors").asBoolean(false)) {
            return result;
        }
        JsonNode list = answer.path("items");
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i).elements().next();
            int status = item.path("status").asInt(200);
            if (status < 300 || missingDocument(item)) {
                continue;
            }
            if (status == 429 && "es_rejected_execution_exception".equals(item.path("error").path("type").asText())) {
                result.retryable.add(i);
            } else {
                result.failures.add(new Failure(i, item));
            }
        }
        return result;
    }

    /**
     * A delete of a document that is not there: 404 without an error (a missing index is a 404 with one).
     * No failure: the row is gone either way.
     */
    static boolean missingDocument(JsonNode item) {
        return item.path("status").asInt(200) == 404 && item.path("error").isMissingNode();
    }

    /**
     * Elasticsearch puts "errors" before the items: a successful answer is known as such from its first
     * bytes, without building a tree of it.
     */
    static boolean reportsNoErrors(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 64), java.nio.charset.StandardCharsets.UTF_8);
        return head.contains("\"errors\":false");
    }

    boolean failed() {
        return !failures.isEmpty();
    }

    /** The error for the first failed item; applied counts what this request applied. */
    EsFdwException error(String server, int applied) {
        JsonNode item = failures.get(0).item();
        WriteAction action = sent.get(failures.get(0).position());
        JsonNode error = item.path("error");
        String type = error.path("type").asText("unknown");
        String reason = describe(item);     // with its cause, as the hints look at it
        String message = "Elasticsearch at " + server + " refused document \"" + action.id()
                + "\" of index \"" + action.target().index() + "\": " + reason;
        String detail = failures.size() + " of " + sent.size() + " actions of a _bulk request failed"
                + (applied > 0 ? "; " + applied + " others were applied and stay applied" : "") + ".";
        return new EsFdwException(sqlstate(type, reason), message, detail, hint(type, reason));
    }

    /** An item's refusal as "type: reason (cause type: cause reason)". */
    static String describe(JsonNode item) {
        JsonNode error = item.path("error");
        String text = error.path("type").asText("unknown") + ": " + error.path("reason").asText("");
        JsonNode cause = error.path("caused_by");
        if (!cause.isMissingNode()) {
            text += " (" + cause.path("type").asText() + ": " + cause.path("reason").asText() + ")";
        }
        return text;
    }

    private static String sqlstate(String type, String reason) {
        return switch (type) {
            case "version_conflict_engine_exception" -> reason.contains("already exists") ? "23505" : "40001";
            case "mapper_parsing_exception", "document_parsing_exception", "illegal_argument_exception" -> "22000";
            default -> SqlState.FDW_ERROR;
        };
    }

    private static String hint(String type, String reason) {
        return switch (type) {
            case "version_conflict_engine_exception" -> reason.contains("already exists")
                    ? "A document with this id exists and the table has op_type 'create'; use op_type 'index' to overwrite."
                    : "Another writer changed the document after this statement read it (its _seq_no column): "
                            + "read it again and retry.";
            case "mapper_parsing_exception", "document_parsing_exception" ->
                    "The value does not fit the index mapping: check the column's type and field option against it.";
            case "document_missing_exception" -> "The document was deleted in Elasticsearch meanwhile.";
            case "cluster_block_exception" -> reason.contains("read-only") || reason.contains("read_only")
                    ? "The index is read-only (often disk watermarks): free disk space, then reset the index setting "
                            + "index.blocks.read_only_allow_delete."
                    : "The cluster or index blocks writes.";
            case "index_not_found_exception" ->
                    "Create the index, or set the table option auto_create 'true'.";
            default -> null;
        };
    }
}
