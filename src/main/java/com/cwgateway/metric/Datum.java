package com.cwgateway.metric;

import java.util.List;

/**
 * One validated MetricDatum as the gateway holds it between ingest and publish.
 *
 * @param unit              a CloudWatch unit name, or {@code null} when the client sent none
 * @param storageResolution 1 or 60, or {@code null} when the client sent none (CloudWatch then uses 60)
 * @param timestampMillis   epoch milliseconds; stamped at ingest when the client sent none, so a point
 *                          lands in the minute it was received, not the minute it was flushed
 */
public record Datum(String metricName, List<Dimension> dimensions, MetricValue value, String unit,
                    Integer storageResolution, long timestampMillis) {}
