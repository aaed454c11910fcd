package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a page of hits as the row batch of docs/boundary.md, big-endian: int32 row count, then per
 * row the document _id and each column as int32 length (-1 for NULL) and UTF-8 bytes.
 */
final class RowBatchEncoder {
    private static final int NULL_LENGTH = -1;
    /** A buffer grown past this is not kept for the next page, so one huge page does not pin memory. */
    private static final int MAX_KEPT_BUFFER = 4 << 20;

    private final List<ColumnReader> columns;
    /** The page being written, reused from page to page (a scan encodes one page at a time). */
    private byte[] buffer = new byte[8192];
    private int size;

    RowBatchEncoder(List<ColumnReader> columns) {
        this.columns = List.copyOf(columns);
    }

    byte[] encode(List<JsonNode> hits) {
        size = 0;
        writeInt(hits.size());
        for (JsonNode hit : hits) {
            writeRow(hit);
        }
        byte[] batch = Arrays.copyOf(buffer, size);
        if (buffer.length > MAX_KEPT_BUFFER) {
            buffer = new byte[8192];
        }
        return batch;
    }

    private void writeRow(JsonNode hit) {
        writeText(hit.path("_id").asText());
        for (ColumnReader column : columns) {
            writeText(column.read(hit));
        }
    }

    private void writeText(String text) {
        if (text == null) {
            writeInt(NULL_LENGTH);
            return;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ensureRoom(4 + utf8.length);
        writeInt(utf8.length);
        System.arraycopy(utf8, 0, buffer, size, utf8.length);
        size += utf8.length;
    }

    /** Big-endian, as DataOutputStream.writeInt. */
    private void writeInt(int value) {
        ensureRoom(4);
        buffer[size] = (byte) (value >>> 24);
        buffer[size + 1] = (byte) (value >>> 16);
        buffer[size + 2] = (byte) (value >>> 8);
        buffer[size + 3] = (byte) value;
        size += 4;
    }

    private void ensureRoom(int bytes) {
        if (bytes > buffer.length - size) {
            long needed = (long) size + bytes;
            if (needed > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("a row batch of more than 2 GB");
            }
            buffer = Arrays.copyOf(buffer, (int) Math.max(needed, Math.min((long) buffer.length * 2,
                    Integer.MAX_VALUE - 8)));
        }
    }
}
