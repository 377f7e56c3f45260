package com.cwgateway.http;

/**
 * A page in the Prometheus text exposition format (version 0.0.4): families with their help and type,
 * samples, histograms. Whole numbers are written without a decimal point.
 */
final class Exposition {

    private final StringBuilder text = new StringBuilder(8192);

    Exposition family(String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample; {@code labels} is {@code a="x",b="y"} (values escaped), or null for none. */
    Exposition sample(String name, String labels, double value) {
        text.append(name);
        if (labels != null) {
            text.append('{').append(labels).append('}');
        }
        text.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            text.append((long) value);
        } else {
            text.append(value);
        }
        text.append('\n');
        return this;
    }

    /** A family of one sample without labels. */
    Exposition single(String name, String type, String help, double value) {
        return family(name, type, help).sample(name, null, value);
    }

    /** A histogram's buckets, sum and count, for a family already begun with type histogram. */
    Exposition histogram(String name, String labels, LatencyHistogram histogram) {
        long[] cumulative = histogram.cumulative();
        String prefix = labels == null ? "" : labels + ",";
        for (int i = 0; i < LatencyHistogram.BOUNDS.length; i++) {
            String bound = java.math.BigDecimal.valueOf(LatencyHistogram.BOUNDS[i]).stripTrailingZeros().toPlainString();
            sample(name + "_bucket", prefix + "le=\"" + bound + "\"", cumulative[i]);
        }
        long count = cumulative[cumulative.length - 1];
        sample(name + "_bucket", prefix + "le=\"+Inf\"", count);
        sample(name + "_sum", labels, histogram.sumSeconds());
        return sample(name + "_count", labels, count);
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
