package org.esfdw.transport;

/** Which server family answers: the features (point in time above all) depend on it. */
public enum Distribution {
    /** Elastic's default distribution, with the x-pack features such as point in time. */
    ELASTICSEARCH("Elasticsearch"),
    /** Elastic's OSS build (build_flavor "oss"): no point in time. */
    ELASTICSEARCH_OSS("Elasticsearch OSS"),
    OPENSEARCH("OpenSearch");

    private final String displayName;

    Distribution(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
