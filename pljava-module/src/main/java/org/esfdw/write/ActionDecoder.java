package org.esfdw.write;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.WriteDescription;

/**
 * Reads the actions C sends to Bridge.write (docs/boundary.md, "Writes"): an int32 count, then per action
 * a byte op ('i' index, 'c' create, 'u' update, 'd' delete), an int32 nesting level, and three
 * length-prefixed UTF-8 strings (-1: absent): the id, the routing, the document JSON, then two int64: the
 * if_seq_no and if_primary_term the action requires (-1: none). Network byte order. Table sync's ops 'e'
 * (index) and 'r' (delete) carry an external version in the if_seq_no slot instead.
 */
final class ActionDecoder {
    private ActionDecoder() {
    }

    static List<WriteAction> decode(byte[] batch, WriteDescription target) {
        ByteBuffer in = ByteBuffer.wrap(batch);
        try {
            int count = in.getInt();
            if (count < 0) {
                throw malformed("negative count");
            }
            List<WriteAction> actions = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte code = in.get();
                WriteAction.Op op = op(code);
                int nest = in.getInt();
                String id = text(in);
                String routing = text(in);
                byte[] doc = bytes(in);
                long ifSeqNo = in.getLong();
                long ifPrimaryTerm = in.getLong();
                if (id == null || (doc == null && op != WriteAction.Op.DELETE)) {
                    throw malformed("action " + i + " lacks its id or document");
                }
                boolean versioned = code == 'e' || code == 'r';
                actions.add(new WriteAction(op, target, id, routing != null ? routing : target.routing(), doc, nest,
                        versioned ? -1 : ifSeqNo, versioned ? -1 : ifPrimaryTerm, versioned ? ifSeqNo : -1));
            }
            if (in.hasRemaining()) {
                throw malformed("trailing bytes");
            }
            return actions;
        } catch (BufferUnderflowException e) {
            throw malformed("truncated");
        }
    }

    private static WriteAction.Op op(byte code) {
        return switch (code) {
            case 'i', 'e' -> WriteAction.Op.INDEX;
            case 'c' -> WriteAction.Op.CREATE;
            case 'u' -> WriteAction.Op.UPDATE;
            case 'd', 'r' -> WriteAction.Op.DELETE;
            default -> throw malformed("unknown op " + code);
        };
    }

    private static byte[] bytes(ByteBuffer in) {
        int len = in.getInt();
        if (len == -1) {
            return null;
        }
        if (len < 0 || len > in.remaining()) {
            throw malformed("bad length " + len);
        }
        byte[] bytes = new byte[len];
        in.get(bytes);
        return bytes;
    }

    private static String text(ByteBuffer in) {
        byte[] bytes = bytes(in);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static EsFdwException malformed(String why) {
        return new EsFdwException(SqlState.FDW_ERROR, "malformed write batch from the C shim: " + why, null, null);
    }
}
