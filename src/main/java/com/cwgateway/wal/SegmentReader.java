package com.cwgateway.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * Reads a segment's records in order, without holding the file in memory. Where no record that checks out (magic,
 * length, CRC) starts, it moves on a byte at a time: bytes skipped before a good record are corrupt, bytes after
 * the last are a torn tail. So a damaged record costs only itself.
 */
final class SegmentReader {

    private SegmentReader() {}

    static ReadResult read(Path file, Consumer<byte[]> eachPayload) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            FileWindow in = new FileWindow(channel);
            long records = 0;
            long recordBytes = 0;
            long corrupt = 0;
            long position = 0;
            long skipFrom = -1;
            while (size - position >= Record.HEADER_BYTES) {
                byte[] payload = recordAt(in, position, size);
                if (payload == null) {
                    if (skipFrom < 0) {
                        skipFrom = position;
                    }
                    position++;
                    continue;
                }
                if (skipFrom >= 0) {
                    corrupt += position - skipFrom;
                    skipFrom = -1;
                }
                eachPayload.accept(payload);
                records++;
                recordBytes += Record.HEADER_BYTES + payload.length;
                position += Record.HEADER_BYTES + payload.length;
            }
            long torn = size - (skipFrom >= 0 ? skipFrom : position);
            return new ReadResult(records, recordBytes, torn, corrupt);
        }
    }

    /** The payload of the record at {@code position}, or null when no record that checks out starts there. */
    private static byte[] recordAt(FileWindow in, long position, long size) throws IOException {
        if (in.intAt(position) != Record.MAGIC) {
            return null;
        }
        int length = in.intAt(position + 4);
        if (length < 0 || length > Record.MAX_PAYLOAD_BYTES || length > size - position - Record.HEADER_BYTES) {
            return null;
        }
        int crc = in.intAt(position + 8);
        byte[] payload = new byte[length];
        in.read(position + Record.HEADER_BYTES, payload);
        return Record.crcOf(payload) == crc ? payload : null;
    }
}
