package com.cwgateway.ingest;

/**
 * Reuses the String of a name or value that came before (metric names, dimension names and values repeat
 * in nearly every request), looked up straight from the parser's characters. A hit allocates nothing, and
 * later steps get an instance whose hash is already computed and which equals its twins at a glance,
 * which makes merging series cheaper too. Fixed size, last writer wins: a client sending ever new strings
 * only gets misses, never more memory. Races between threads are harmless: a slot always holds some
 * complete, immutable String, and a hit is checked character by character.
 */
final class StringCache {

    private static final int SLOTS = 8192;
    /** Longer strings are rare and costly to compare; they are simply created. */
    private static final int MAX_LENGTH = 128;

    private final String[] slots = new String[SLOTS];

    String get(char[] chars, int offset, int length) {
        if (length > MAX_LENGTH) {
            return new String(chars, offset, length);
        }
        int hash = 0;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + chars[i];
        }
        int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
        String cached = slots[slot];
        if (cached != null && cached.length() == length && matches(cached, chars, offset)) {
            return cached;
        }
        String created = new String(chars, offset, length);
        slots[slot] = created;
        return created;
    }

    private static boolean matches(String cached, char[] chars, int offset) {
        for (int i = 0; i < cached.length(); i++) {
            if (cached.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }
}
