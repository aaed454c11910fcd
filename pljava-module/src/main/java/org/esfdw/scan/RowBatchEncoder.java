package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encodes a page of hits as the row batch of docs/boundary.md, big-endian: int32 row count, then per
 * row the document _id and each column as int32 length (-1 for NULL) and UTF-8 bytes.
 */
final class RowBatchEncoder {
    private static final int NULL_LENGTH = -1;

    private final List<ColumnReader> columns;

    RowBatchEncoder(List<ColumnReader> columns) {
        this.columns = List.copyOf(columns);
    }

    byte[] encode(List<JsonNode> hits) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(hits.size());
            for (JsonNode hit : hits) {
                writeRow(out, hit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void writeRow(DataOutputStream out, JsonNode hit) throws IOException {
        writeText(out, hit.path("_id").asText());
        for (ColumnReader column : columns) {
            writeText(out, column.read(hit));
        }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(NULL_LENGTH);
            return;
        }
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
