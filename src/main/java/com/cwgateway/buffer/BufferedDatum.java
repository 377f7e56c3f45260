package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;

/** A datum waiting in the buffer, with the namespace it is published under. */
public record BufferedDatum(String namespace, Datum datum) {}
