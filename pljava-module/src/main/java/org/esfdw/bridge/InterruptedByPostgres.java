package org.esfdw.bridge;

import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * Thrown when PostgreSQL asked to cancel or terminate while Java waited. The C shim clears it and runs
 * CHECK_FOR_INTERRUPTS(), so PostgreSQL reports the cancel itself; the SQLSTATE is only a fallback.
 */
public final class InterruptedByPostgres extends EsFdwException {
    private static final long serialVersionUID = 1L;

    public InterruptedByPostgres(String waitingFor) {
        super(SqlState.QUERY_CANCELED,
                "es_fdw stopped waiting for " + waitingFor + " because PostgreSQL asked to cancel", null, null);
    }
}
