package com.cwgateway.wal;

import java.util.zip.CRC32C;

/**
 * One record as it goes to disk: magic, payload length, CRC32C of the payload (big-endian ints), then the payload,
 * given as {@code head} and the first {@code bodyLength} bytes of {@code body} so a request's body is not copied.
 * The appending caller computes the CRC, so the single appender thread only copies bytes.
 */
record Record(byte[] head, byte[] body, int bodyLength, int crc) {

    /**
     * {@code F5 'W' 'A' 'L'}: 0xF5 never occurs in UTF-8, so the magic cannot appear inside JSON text, which
     * keeps the scan past a corrupt record from stopping at false starts.
     */
    static final int MAGIC = 0xF557414C;
    static final int HEADER_BYTES = 12;
    /** Far above any request body the gateway takes; a bound so a corrupt length cannot ask for gigabytes. */
    static final int MAX_PAYLOAD_BYTES = 64 << 20;

    private static final byte[] NOTHING = {};

    static Record of(byte[] payload) {
        return of(payload, NOTHING, 0);
    }

    static Record of(byte[] head, byte[] body, int bodyLength) {
        long length = (long) head.length + bodyLength;
        if (length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a write-ahead log record holds at most " + MAX_PAYLOAD_BYTES
                    + " bytes, not " + length);
        }
        CRC32C crc = new CRC32C();
        crc.update(head);
        crc.update(body, 0, bodyLength);
        return new Record(head, body, bodyLength, (int) crc.getValue());
    }

    static int crcOf(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }

    int payloadLength() {
        return head.length + bodyLength;
    }
}
