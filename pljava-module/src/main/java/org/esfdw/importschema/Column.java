package org.esfdw.importschema;

import org.esfdw.types.PgType;

/** A column of an imported table before it is named: the field path it is named after, where it reads, its type. */
record Column(String path, String source, PgType type) {
}
