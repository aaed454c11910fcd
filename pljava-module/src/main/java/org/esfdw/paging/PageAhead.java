package org.esfdw.paging;

import org.esfdw.transport.PendingRequest;

/**
 * The page a pager asks for while PostgreSQL still consumes the current one, and how large the caller
 * wants it (Pager.followingPageSize: 0 when a LIMIT is reached). Abandoned requests are cancelled.
 */
final class PageAhead {
    private PendingRequest pending;
    private int pendingSize;
    private int followingSize = -1;

    void followingSize(int size) {
        followingSize = size;
    }

    /** How many rows to ask for ahead after a page of size rows; 0 for none. */
    int sizeAfter(int size) {
        return followingSize < 0 ? size : followingSize;
    }

    void asked(PendingRequest request, int size) {
        pending = request;
        pendingSize = size;
    }

    /**
     * The page asked for ahead, if it has this size (or any size, when the server fixed it); else null,
     * and a page asked for with another size is abandoned.
     */
    PendingRequest take(int size, boolean sizeMatters) {
        PendingRequest taken = pending;
        pending = null;
        if (taken != null && (!sizeMatters || pendingSize == size)) {
            return taken;
        }
        if (taken != null) {
            taken.cancel();
        }
        return null;
    }

    void discard() {
        if (pending != null) {
            pending.cancel();
            pending = null;
        }
    }
}
