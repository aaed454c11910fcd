package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Where a scan's documents come from (a search, a multi-get, a count), as hits shaped like search hits
 * ({"_id", "_source", …}). Any server-side context it holds is released when it runs out, on restart and
 * on close.
 */
interface HitSource {
    /** The next hits, at most max of them; empty once there are no more. */
    List<JsonNode> next(int max);

    /** How many hits the scan will ask for in the call after the next one (0: none, its limit is reached). */
    default void followingCallSize(int size) {
    }

    /** Releases what the source holds; the next call starts from the first hit again. */
    void restart();

    /** Releases what the source holds for good; never throws. */
    void close();
}
