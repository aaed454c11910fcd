package org.esfdw.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.json.Json;

/**
 * Describes any throwable as the JSON the C shim reports: {"sqlstate","message","detail","hint","stack"}.
 * An EsFdwException speaks for itself; anything else is HV000 with the toString() of it and its causes.
 */
final class ErrorDescription {
    private ErrorDescription() {
    }

    static ObjectNode of(Throwable error) {
        ObjectNode json = Json.object();
        if (error instanceof EsFdwException known) {
            json.put("sqlstate", known.sqlstate()).put("message", known.getMessage())
                    .put("detail", known.detail()).put("hint", known.hint());
        } else {
            json.put("sqlstate", SqlState.FDW_ERROR).put("message", "es_fdw: " + causeChain(error))
                    .putNull("detail").putNull("hint");
        }
        return json.put("stack", stackTrace(error));
    }

    /** "java.lang.IllegalStateException: x; caused by: java.io.IOException: y" */
    static String causeChain(Throwable error) {
        StringBuilder text = new StringBuilder(error.toString());
        for (Throwable cause = error.getCause(); cause != null && cause != error; cause = cause.getCause()) {
            text.append("; caused by: ").append(cause);
        }
        return text.toString();
    }

    private static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
