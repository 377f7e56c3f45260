package com.cwgateway.wal;

/**
 * What reading a segment found: the records read and the bytes they took, the bytes after the last good
 * record that were cut as a torn tail (what a crash mid-write leaves), and the bytes skipped as corrupt
 * between good records. The three byte counts add up to the file's size.
 */
public record ReadResult(long records, long bytes, long tornBytes, long corruptBytes) {

    /** Torn and corrupt bytes together: what the caller warns about. */
    public long skippedBytes() {
        return tornBytes + corruptBytes;
    }
}
