package com.cwgateway.publish;

import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.metric.Datum;
import java.util.ArrayList;
import java.util.List;

/** Splits one namespace's datums into PutMetricData-sized chunks: at most 1000 datums and 1 MB each. */
public final class Chunker {

    private Chunker() {}

    public static List<List<Datum>> chunks(String namespace, List<Datum> datums) {
        int envelope = RequestSize.envelope(namespace);
        List<List<Datum>> chunks = new ArrayList<>();
        List<Datum> chunk = new ArrayList<>();
        int chunkBytes = envelope;
        for (Datum datum : datums) {
            int datumBytes = RequestSize.of(datum);
            if (chunk.size() == CloudWatchRules.MAX_DATUMS_PER_REQUEST
                    || (!chunk.isEmpty() && chunkBytes + datumBytes > CloudWatchRules.MAX_REQUEST_BYTES)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                chunkBytes = envelope;
            }
            chunk.add(datum);
            chunkBytes += datumBytes;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }
}
