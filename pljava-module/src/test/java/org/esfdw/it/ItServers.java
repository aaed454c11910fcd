package org.esfdw.it;

import java.util.Arrays;
import java.util.List;

/** The real servers the integration tests run against: system property esfdw.it.urls, comma separated. */
final class ItServers {
    static final String PROPERTY = "esfdw.it.urls";

    private ItServers() {
    }

    /** Fails (never skips) when the property is missing: integration tests must not pass vacuously. */
    static List<String> urls() {
        String urls = System.getProperty(PROPERTY);
        if (urls == null || urls.isBlank()) {
            throw new AssertionError("integration tests need real servers: run with -D" + PROPERTY
                    + "=http://127.0.0.1:19200[,http://...]");
        }
        return Arrays.stream(urls.split(",")).map(String::strip).filter(u -> !u.isEmpty()).toList();
    }
}
