package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import java.util.List;

/** A part of a drained buffer handed out for publishing: datums of one namespace, their samples and heap. */
public record Taken(String namespace, List<Datum> datums, double samples, long bytes) {}
