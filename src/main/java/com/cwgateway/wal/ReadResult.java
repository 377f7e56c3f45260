package com.cwgateway.wal;

/**
 * What reading a segment found: the records and their bytes, the torn tail after the last good record (a crash
 * mid-write), and corrupt bytes skipped between good ones. The three byte counts add up to the file's size.
 */
public record ReadResult(long records, long bytes, long tornBytes, long corruptBytes) {

    /** Torn and corrupt bytes together: what the caller warns about. */
    public long skippedBytes() {
        return tornBytes + corruptBytes;
    }
}
