package org.esfdw.transport;

/** Which server family answers: the features (point in time above all) depend on it. */
public enum Distribution {
    /** Elastic's default distribution, with the x-pack features such as point in time. */
    ELASTICSEARCH,
    /** Elastic's OSS build (build_flavor "oss"): no point in time. */
    ELASTICSEARCH_OSS,
    OPENSEARCH,
    /** The user may read neither node info nor the root endpoint: assume only what every server does. */
    UNKNOWN
}
