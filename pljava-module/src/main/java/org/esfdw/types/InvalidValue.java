package org.esfdw.types;

/**
 * A JSON value that does not fit a column type. Carries only the reason; the scan adds the column,
 * document id and value when it turns this into an EsFdwException.
 */
public final class InvalidValue extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String hint;

    public InvalidValue(String reason) {
        this(reason, null);
    }

    public InvalidValue(String reason, String hint) {
        super(reason, null, false, false);
        this.hint = hint;
    }

    public String reason() {
        return getMessage();
    }

    public String hint() {
        return hint;
    }
}
