package org.esfdw.importschema;

/**
 * The SQLSTATEs only IMPORT FOREIGN SCHEMA raises, as postgres_fdw raises them for the same faults. They
 * belong with the others in org.esfdw.SqlState, which this package does not change.
 */
final class ImportSqlState {
    /** fdw_schema_not_found: the remote schema (an index name or pattern) matches nothing. */
    static final String SCHEMA_NOT_FOUND = "HV00Q";
    /** fdw_invalid_option_name: an IMPORT FOREIGN SCHEMA option es_fdw does not know. */
    static final String INVALID_OPTION_NAME = "HV00D";
    /** invalid_parameter_value: a known option with a value it cannot take. */
    static final String INVALID_PARAMETER_VALUE = "22023";

    private ImportSqlState() {
    }
}
