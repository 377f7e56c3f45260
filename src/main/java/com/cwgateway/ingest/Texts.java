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
        // codePoints() joins each surrogate pair into one code point: a surrogate left is unpaired
        int[] fixed = text.codePoints().map(c -> Character.getType(c) == Character.SURROGATE ? 0xFFFD : c).toArray();
        return new String(fixed, 0, fixed.length);
    }
}
