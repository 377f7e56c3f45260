package com.cwgateway.ingest;

/**
 * Where a value sits in the body, e.g. {@code [1].MetricData[3]}: an immutable chain of links turned into text
 * only when a problem is reported, so a valid body never pays for the strings.
 */
final class FieldPath {

    private static final FieldPath BODY = new FieldPath(null, null, -1);

    private final FieldPath parent;
    private final String field;
    private final int index;

    private FieldPath(FieldPath parent, String field, int index) {
        this.parent = parent;
        this.field = field;
        this.index = index;
    }

    /** The root: the whole body. */
    static FieldPath body() {
        return BODY;
    }

    /** The field {@code name} of this object. */
    FieldPath field(String name) {
        return new FieldPath(this, name, -1);
    }

    /** The element at {@code position} of this array. */
    FieldPath index(int position) {
        return new FieldPath(this, null, position);
    }

    /** The path of {@code name} inside this one, as text. */
    String describe(String name) {
        if (name == null) {
            return toString();
        }
        return parent == null ? Texts.clip(name) : this + "." + Texts.clip(name);
    }

    @Override
    public String toString() {
        if (parent == null) {
            return Problem.BODY;
        }
        StringBuilder text = new StringBuilder();
        append(text);
        return text.toString();
    }

    private void append(StringBuilder text) {
        if (parent.parent != null) {
            parent.append(text);
        }
        if (field != null) {
            if (!text.isEmpty()) {
                text.append('.');
            }
            text.append(Texts.clip(field));
        } else {
            text.append('[').append(index).append(']');
        }
    }
}
