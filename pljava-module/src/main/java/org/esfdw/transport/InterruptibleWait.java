package org.esfdw.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.esfdw.bridge.InterruptedByPostgres;
import org.esfdw.bridge.PgInterrupts;

/**
 * Waits for an asynchronous HTTP exchange in short slices so that a PostgreSQL cancel or terminate is
 * noticed within ~10 ms: the exchange is then cancelled and InterruptedByPostgres thrown.
 */
final class InterruptibleWait {
    static final long SLICE_MILLIS = 10;

    private InterruptibleWait() {
    }

    /**
     * @return the result, or throws the exchange's failure as an ExecutionException, or TimeoutException
     *         (the exchange cancelled) once the deadline passes
     */
    static <T> T await(CompletableFuture<T> exchange, Duration deadline, String whatFor)
            throws ExecutionException, TimeoutException {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            stopIfPostgresAsks(exchange, whatFor);
            try {
                return exchange.get(SLICE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException sliceOver) {
                if (System.nanoTime() - end > 0) {
                    exchange.cancel(true);
                    throw sliceOver;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.cancel(true);
                throw new InterruptedByPostgres(whatFor);
            }
        }
    }

    /** Waits at most maxWait without polling PostgreSQL (used to release resources after a cancel). */
    static void awaitQuietly(CompletableFuture<?> exchange, Duration maxWait) {
        try {
            exchange.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // best effort: the exchange finishes or times out on its own, on a daemon thread
        }
    }

    private static void stopIfPostgresAsks(CompletableFuture<?> exchange, String whatFor) {
        if (PgInterrupts.requested()) {
            exchange.cancel(true);
            throw new InterruptedByPostgres(whatFor);
        }
    }
}
