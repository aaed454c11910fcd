package org.esfdw.transport;

import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * The server could not be asked at all, or could not answer: connection refused or reset, an unknown host,
 * a connect or response timeout, HTTP 502/503/504, a cluster without a master or blocked as a whole, or the
 * circuit breaker open after such failures. What offline_mode and the circuit breaker act on; a 4xx caused
 * by the query itself is never this.
 */
public final class ServerUnreachable extends EsFdwException {
    private static final long serialVersionUID = 1L;

    private final String server;

    ServerUnreachable(String server, String message, String detail, String hint, Throwable cause) {
        super(SqlState.UNABLE_TO_CONNECT, message, detail, hint, cause);
        this.server = server;
    }

    /** The server's URL, without credentials. */
    public String server() {
        return server;
    }

    /** Why, in a few words, for a WARNING or es_status(). */
    public String reason() {
        return getMessage();
    }
}
