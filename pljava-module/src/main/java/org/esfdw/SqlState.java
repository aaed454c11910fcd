package org.esfdw;

/** The PostgreSQL SQLSTATE codes es_fdw raises, named for what they mean here. */
public final class SqlState {
    /** fdw_error: any Elasticsearch failure without a more precise code. */
    public static final String FDW_ERROR = "HV000";
    /** fdw_unable_to_establish_connection: the server cannot be reached. */
    public static final String UNABLE_TO_CONNECT = "HV00N";
    /** fdw_table_not_found: the index does not exist. */
    public static final String TABLE_NOT_FOUND = "HV00R";
    /** fdw_invalid_handle: a scan handle es_fdw does not know. */
    public static final String INVALID_HANDLE = "HV00B";
    /** invalid_authorization_specification: the server refused the credentials or the access. */
    public static final String AUTH_REFUSED = "28000";
    /** invalid_text_representation: a document value does not fit the column type. */
    public static final String INVALID_VALUE = "22P02";
    /** invalid_escape_sequence: a LIKE pattern ending in its escape character. */
    public static final String INVALID_ESCAPE_SEQUENCE = "22025";
    /** query_canceled: PostgreSQL asked to cancel or terminate while Java was waiting. */
    public static final String QUERY_CANCELED = "57014";

    private SqlState() {
    }
    /** fdw_schema_not_found: IMPORT FOREIGN SCHEMA's remote schema matches nothing. */
    public static final String SCHEMA_NOT_FOUND = "HV00Q";
    /** fdw_invalid_option_name: an option es_fdw does not know. */
    public static final String INVALID_OPTION_NAME = "HV00D";
    /** invalid_parameter_value: a known option with a value it cannot take. */
    public static final String INVALID_PARAMETER_VALUE = "22023";
}
