package com.cwgateway.ingest;

/** Client-supplied text made fit to quote back in an answer. */
public final class Texts {

    private static final int CLIP = 80;

    private Texts() {}

    /**
     * Cuts text to 80 characters (a hostile client may send megabytes), never between the two halves of a
     * surrogate pair, so what is quoted stays valid Unicode.
     */
    public static String clip(String text) {
        if (text.length() <= CLIP) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(CLIP - 1)) ? CLIP - 1 : CLIP;
        return text.substring(0, end) + "...";
    }

    /** Replaces unpaired surrogates with U+FFFD, so the text can be encoded as UTF-8 by any client. */
    public static String wellFormed(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (fixed != null) {
                    fixed.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (fixed == null) {
                    fixed = new StringBuilder(text.length()).append(text, 0, i);
                }
                fixed.append('\uFFFD');
            } else if (fixed != null) {
                fixed.append(c);
            }
        }
        return fixed == null ? text : fixed.toString();
    }
}
