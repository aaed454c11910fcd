package org.esfdw.importschema;

/** One thing a remote schema names that becomes one foreign table: a concrete index, an alias or a data stream. */
record RemoteSource(String name, Kind kind, boolean closed) {

    enum Kind {
        INDEX, ALIAS, DATA_STREAM
    }
}
