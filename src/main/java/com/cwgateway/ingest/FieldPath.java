package com.cwgateway.ingest;

/**
 * Where a value sits in the body, e.g. {@code [1].MetricData[3]}: a chain of links, one per object or array
 * element being read, turned into text only when a problem is reported, so a valid body (the common case)
 * never pays for the strings.
 *
 * <p>Each link reuses one child link for whatever is read inside it, instead of making one per datum and per
 * dimension, the largest allocation of reading a body. That is sound because the body is read
 * depth first and a problem is described at once, while its element is being read: a path is only used, and
 * only valid, until the reader moves on to the next element at the same depth. So a root is never shared:
 * each reading of a body makes its own with {@link #body()}.
 */
final class FieldPath {

    private final FieldPath parent;
    private String field;
    private int index = -1;
    private FieldPath child;

    private FieldPath(FieldPath parent) {
        this.parent = parent;
    }

    /** The root: the whole body, for one reading of one body. */
    static FieldPath body() {
        return new FieldPath(null);
    }

    /** The field {@code name} of this object, valid until the next call on this path. */
    FieldPath field(String name) {
        FieldPath link = child();
        link.field = name;
        link.index = -1;
        return link;
    }

    /** The element at {@code position} of this array, valid until the next call on this path. */
    FieldPath index(int position) {
        FieldPath link = child();
        link.field = null;
        link.index = position;
        return link;
    }

    private FieldPath child() {
        if (child == null) {
            child = new FieldPath(this);
        }
        return child;
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
