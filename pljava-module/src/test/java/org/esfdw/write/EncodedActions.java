package org.esfdw.write;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A batch of actions encoded as the C shim encodes them for Bridge.write and Bridge.deliver (ActionDecoder):
 * an int32 count, then per action the op, the nesting level, the id, routing and document (length-prefixed,
 * -1: absent) and two int64 (if_seq_no and if_primary_term, or an external version and -1). For tests.
 */
public final class EncodedActions {
    private final ByteArrayOutputStream actions = new ByteArrayOutputStream();
    private int count;

    public EncodedActions add(char op, int nest, String id, String routing, String doc, long first, long second) {
        actions.write(op);
        actions.writeBytes(ByteBuffer.allocate(4).putInt(nest).array());
        for (String text : new String[] {id, routing, doc}) {
            byte[] bytes = text == null ? null : text.getBytes(StandardCharsets.UTF_8);
            actions.writeBytes(ByteBuffer.allocate(4).putInt(bytes == null ? -1 : bytes.length).array());
            if (bytes != null) {
                actions.writeBytes(bytes);
            }
        }
        actions.writeBytes(ByteBuffer.allocate(16).putLong(first).putLong(second).array());
        count++;
        return this;
    }

    /** The batch, with the count of actions added. */
    public byte[] bytes() {
        return bytes(count);
    }

    /** The batch claiming count actions, whatever was added (a malformed batch). */
    public byte[] bytes(int claimed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).putInt(claimed).array());
        out.writeBytes(actions.toByteArray());
        return out.toByteArray();
    }
}
