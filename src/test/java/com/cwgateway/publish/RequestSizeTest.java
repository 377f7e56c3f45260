package com.cwgateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cwgateway.metric.CloudWatchRules;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricValue;
import com.cwgateway.testsupport.CloudWatchStandIn;
import com.cwgateway.testsupport.RecordedCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The size bound used for chunking, against the bytes the real SDK puts on the wire (before gzip). */
class RequestSizeTest {

    @Test
    void boundsWhatTheSdkSendsClosely() throws Exception {
        Random random = new Random(42);
        try (CloudWatchStandIn cloudWatch = CloudWatchStandIn.start();
             CloudWatchSink sink = new CloudWatchSink(cloudWatch.newClient())) {
            for (int round = 0; round < 30; round++) {
                String namespace = "Size/" + text(random, 1 + random.nextInt(200));
                List<Datum> chunk = new ArrayList<>();
                int estimate = RequestSize.envelope(namespace);
                // Up to 200 datums, as many as a request may carry by the bound: the stand-in, like CloudWatch,
                // refuses a body over 1,000,000 bytes.
                for (int wanted = 1 + random.nextInt(200); chunk.size() < wanted; ) {
                    Datum datum = randomDatum(random);
                    if (estimate + RequestSize.of(datum) > CloudWatchRules.MAX_REQUEST_BYTES) {
                        break;
                    }
                    chunk.add(datum);
                    estimate += RequestSize.of(datum);
                }
                int count = chunk.size();

                sink.publish(namespace, chunk, Duration.ofSeconds(10));

                RecordedCall call = cloudWatch.takeCall(Duration.ofSeconds(10));
                assertEquals(count, call.datums().size());
                assertTrue(call.bodyBytes() <= estimate, "SDK sent " + call.bodyBytes() + " > bound " + estimate);
                assertTrue(estimate < call.bodyBytes() * 1.6, "bound " + estimate + " is loose for " + call.bodyBytes());
            }
        }
    }

    private static Datum randomDatum(Random random) {
        List<Dimension> dimensions = new ArrayList<>();
        for (int d = random.nextInt(31); d > 0; d--) {
            dimensions.add(new Dimension("d" + d + text(random, random.nextInt(40)), text(random, 1 + random.nextInt(300))));
        }
        MetricValue value = switch (random.nextInt(3)) {
            case 0 -> new MetricValue.Single(random.nextGaussian() * 1e6);
            case 1 -> {
                int n = 1 + random.nextInt(150);
                double[] values = new double[n];
                double[] counts = random.nextBoolean() ? new double[n] : null;
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextDouble() * 1000;
                    if (counts != null) {
                        counts[i] = 1 + random.nextInt(100);
                    }
                }
                yield new MetricValue.Distribution(values, counts);
            }
            default -> new MetricValue.Statistics(10, 55.5, 1.25, 10);
        };
        return new Datum("metric-" + text(random, random.nextInt(100)), dimensions, value,
                random.nextBoolean() ? "Milliseconds" : null, random.nextBoolean() ? 1 : null,
                System.currentTimeMillis() - random.nextInt(1_000_000));
    }

    /** Text mixing ASCII, 2- and 3-byte characters and surrogate pairs, as UTF-8 would count them. */
    private static String text(Random random, int length) {
        StringBuilder text = new StringBuilder();
        while (text.length() < length) {
            switch (random.nextInt(4)) {
                case 0 -> text.append((char) ('a' + random.nextInt(26)));
                case 1 -> text.append('é');
                case 2 -> text.append('€');
                default -> text.append("😀");
            }
        }
        return text.toString();
    }
}
