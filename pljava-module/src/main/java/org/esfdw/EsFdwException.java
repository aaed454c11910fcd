package org.esfdw;

/**
 * An error es_fdw reports to PostgreSQL: the SQLSTATE, a lower-case message naming what is at fault, and
 * an optional detail and hint. The C shim turns it into ereport(ERROR) through Bridge.describeError.
 */
public class EsFdwException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String sqlstate;
    private final String detail;
    private final String hint;

    public EsFdwException(String sqlstate, String message, String detail, String hint) {
        super(message);
        this.sqlstate = sqlstate;
        this.detail = detail;
        this.hint = hint;
    }

    public EsFdwException(String sqlstate, String message, String detail, String hint, Throwable cause) {
        this(sqlstate, message, detail, hint);
        initCause(cause);
    }

    public String sqlstate() {
        return sqlstate;
    }

    public String detail() {
        return detail;
    }

    public String hint() {
        return hint;
    }
}
