package org.esfdw.scan;

/** What the C shim reads rows from through a scan handle: a live scan, or an offline answer. */
public interface RowSource {
    /** The next row batch; 0 rows once the result is done. */
    byte[] nextBatch();

    /** Starts over from the first row. */
    void rescan();

    /** Releases what the source holds; never throws. */
    void close();
}
