package com.cwgateway.metric;

/** One CloudWatch dimension: a name and a value, both already validated. */
public record Dimension(String name, String value) {}
