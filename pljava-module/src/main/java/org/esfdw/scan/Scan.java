package org.esfdw.scan;

import java.util.List;
import org.esfdw.config.ScanDescription;
import org.esfdw.paging.Pager;
import org.esfdw.paging.Pagers;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.ServerDetector;
import org.esfdw.transport.ServerInfo;

/**
 * One open foreign scan: pages through the index with the strategy the server supports and encodes each
 * page as a row batch. Any failure releases the server-side context before it propagates.
 */
public final class Scan {
    private final Pager pager;
    private final RowBatchEncoder encoder;

    private Scan(Pager pager, RowBatchEncoder encoder) {
        this.pager = pager;
        this.encoder = encoder;
    }

    /** Detects the server, then opens the point in time or prepares the scroll. */
    public static Scan open(ScanDescription description) {
        HttpTransport transport = new HttpTransport(description.connection());
        ServerInfo server = ServerDetector.detect(transport);
        Pager pager = Pagers.create(server.pagingStrategy(), transport, description.index(),
                SearchBody.of(description), description.fetchSize(), description.keepAlive());
        List<ColumnReader> columns = description.columns().stream()
                .map(column -> new ColumnReader(column, description.index())).toList();
        pager.open();
        return new Scan(pager, new RowBatchEncoder(columns));
    }

    /** The next page as a row batch; a batch of 0 rows once every document was returned. */
    public byte[] nextBatch() {
        try {
            return encoder.encode(pager.nextPage());
        } catch (RuntimeException e) {
            pager.close();
            throw e;
        }
    }

    /** Starts over from the first document. */
    public void rescan() {
        pager.restart();
    }

    /** Releases the server-side context; never throws. */
    public void close() {
        pager.close();
    }
}
