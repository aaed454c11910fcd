package org.esfdw.scan;

import java.util.List;

/** An offline answer: the batches of a cached result, or none; then the empty batch that ends a scan. */
final class ReplayedResult implements RowSource {
    private static final byte[] EMPTY = new RowBatchEncoder(List.of()).encode(List.of());

    private final List<byte[]> batches;
    private int next;

    ReplayedResult(List<byte[]> batches) {
        this.batches = List.copyOf(batches);
    }

    @Override
    public byte[] nextBatch() {
        return next < batches.size() ? batches.get(next++) : EMPTY;
    }

    @Override
    public void rescan() {
        next = 0;
    }

    @Override
    public void close() {
        next = batches.size();
    }
}
