package com.cwgateway.config;

/** Where flushed metrics go ({@code SINK}). The gateway never switches from one to the other by itself. */
public enum SinkKind {
    /** PutMetricData calls to CloudWatch. */
    CLOUDWATCH,
    /** One JSON line per PutMetricData call that would be made, on standard output; nothing goes to AWS. */
    LOG
}
