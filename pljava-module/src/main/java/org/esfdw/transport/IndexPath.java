package org.esfdw.transport;

import java.nio.charset.StandardCharsets;

/**
 * Puts an index name (or pattern, or comma list) into a URL path: letters, digits and the characters
 * index expressions use ("-_.*,:+") stay readable, anything else is percent-encoded.
 */
public final class IndexPath {
    private static final String KEPT = "-_.*,:+";

    private IndexPath() {
    }

    /** "/articles" */
    public static String of(String index) {
        StringBuilder path = new StringBuilder("/");
        for (byte b : index.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (isAsciiLetterOrDigit(c) || KEPT.indexOf(c) >= 0) {
                path.append(c);
            } else {
                path.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return path.toString();
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
