package com.cwgateway.metric;

import java.util.List;

/** The validated content of one PutMetricData input: a namespace and its datums. */
public record PutMetricDataInput(String namespace, List<Datum> datums) {}
