package org.esfdw.paging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.PagingStrategy;

/** Makes the pager of the strategy ServerInfo chose for the server. */
public final class Pagers {
    private Pagers() {
    }

    public static Pager create(PagingStrategy strategy, HttpTransport transport, ObjectNode searchBody,
                               Duration keepAlive, ShardRules rules) {
        return switch (strategy) {
            case POINT_IN_TIME -> new PointInTimePager(transport, rules, searchBody, keepAlive);
            case SCROLL -> new ScrollPager(transport, rules, searchBody, keepAlive);
        };
    }
}
