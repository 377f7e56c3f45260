package com.cwgateway.publish;

import com.cwgateway.buffer.Drained;
import com.cwgateway.buffer.MetricBuffer;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.metric.PutMetricDataInput;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A flush source straight on a buffer (no spool), that remembers how the last run ended and notices runs that
 * overlap; and the intake's part of the ledger, for tests that accept datums without HTTP.
 */
final class BufferSource implements FlushSource {

    private final MetricBuffer buffer;
    private final DeliveryStats ledger;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger runs = new AtomicInteger();
    private volatile boolean overlapped;
    private volatile Boolean lastClean;

    BufferSource(MetricBuffer buffer, DeliveryStats ledger) {
        this.buffer = buffer;
        this.ledger = ledger;
    }

    /** Adds {@code datums} single values m0, m1, ... of namespace "Test" to the buffer and the ledger, as an intake does. */
    void accept(int datums) {
        List<Datum> batch = new ArrayList<>();
        for (int i = 0; i < datums; i++) {
            batch.add(new Datum("m" + i, List.of(), new MetricValue.Single(i), null, null, System.currentTimeMillis()));
        }
        if (!buffer.tryAdd(List.of(new PutMetricDataInput("Test", batch)))) {
            throw new IllegalStateException("the buffer refused " + datums + " datums");
        }
        ledger.accepted(datums);
    }

    @Override
    public Drained drain() {
        if (running.incrementAndGet() > 1) {
            overlapped = true;
        }
        return buffer.drain();
    }

    @Override
    public void runEnded(boolean clean) {
        lastClean = clean;
        runs.incrementAndGet();
        running.decrementAndGet();
    }

    /** How the last run ended: true when clean, null before any ended. */
    Boolean lastClean() {
        return lastClean;
    }

    int runs() {
        return runs.get();
    }

    /** True if a run started while another had not ended. */
    boolean overlapped() {
        return overlapped;
    }
}
