package com.cwgateway.buffer;

import com.cwgateway.metric.Datum;
import java.util.List;

/**
 * One part handed out by {@link Drained#next(int)}: datums of one namespace, the points they carry, and the
 * bytes of the buffer they stand for, which leave the budget when the part is settled.
 */
public record Taken(String namespace, List<Datum> datums, long points, long bytes) {}
