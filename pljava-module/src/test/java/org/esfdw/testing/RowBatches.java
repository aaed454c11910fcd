package org.esfdw.testing;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Decodes a row batch (docs/boundary.md) as the C shim does, for assertions: each row is [_id, col1, ...]. */
public final class RowBatches {
    private RowBatches() {
    }

    public static List<List<String>> decode(byte[] batch, int columns) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(batch));
            List<List<String>> rows = new ArrayList<>();
            int rowCount = in.readInt();
            for (int r = 0; r < rowCount; r++) {
                List<String> row = new ArrayList<>();
                for (int c = 0; c <= columns; c++) {
                    row.add(readText(in));
                }
                rows.add(row);
            }
            if (in.read() != -1) {
                throw new AssertionError("bytes left after the last row");
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length == -1 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
