package org.esfdw.offline;

import java.util.ArrayList;
import java.util.List;

/**
 * WARNINGs for PostgreSQL that Java cannot raise itself: C takes them after each call that may produce
 * one (Bridge.takeWarnings) and reports them. One backend, one thread: a plain list.
 */
public final class Warnings {
    private static final List<String> PENDING = new ArrayList<>();

    private Warnings() {
    }

    public static synchronized void add(String message) {
        PENDING.add(message.replace('\n', ' '));
    }

    /** The pending warnings, one per line; "" when there are none. */
    public static synchronized String take() {
        if (PENDING.isEmpty()) {
            return "";
        }
        String text = String.join("\n", PENDING);
        PENDING.clear();
        return text;
    }
}
