package com.cwgateway.metric;

import java.util.List;

/**
 * Receives a datum's fields from {@link Datum#walk}, in CloudWatch's order and only those present: the one walk
 * over a datum's shape that the JSON writer, the SDK mapping and the request-size bound share. A field added to
 * {@link Datum} goes into {@code walk} and here, and then none of the three compiles until it handles it.
 *
 * @param <E> what receiving may throw (writing JSON throws {@code IOException})
 */
public interface DatumFields<E extends Exception> {

    void metricName(String name) throws E;

    /** Only when the datum has dimensions. */
    void dimensions(List<Dimension> dimensions) throws E;

    /** One of {@code value}, {@code values} and {@code statistics}, as the datum's value is. */
    void value(double value) throws E;

    /** {@code counts} is null when the client sent none. */
    void values(double[] values, double[] counts) throws E;

    void statistics(MetricValue.Statistics statistics) throws E;

    /** Only when the client sent a unit. */
    void unit(String unit) throws E;

    /** Only when the client sent a resolution. */
    void storageResolution(int resolution) throws E;

    void timestamp(long epochMillis) throws E;
}
