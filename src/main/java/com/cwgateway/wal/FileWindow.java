package com.cwgateway.wal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads through one reused 64 KiB window: reading record after record, or scanning past a corrupt one,
 * costs one system call per window, and memory does not grow with the file or a large record.
 */
final class FileWindow {

    private static final int WINDOW_BYTES = 64 * 1024;

    private final FileChannel channel;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW_BYTES).limit(0);
    /** File position of the window's first byte. */
    private long start;

    FileWindow(FileChannel channel) {
        this.channel = channel;
    }

    int intAt(long position) throws IOException {
        load(position, Integer.BYTES);
        return window.getInt(offset(position));
    }

    void read(long position, byte[] into) throws IOException {
        for (int done = 0; done < into.length; ) {
            int n = Math.min(WINDOW_BYTES, into.length - done);
            load(position + done, n);
            window.get(offset(position + done), into, done, n);
            done += n;
        }
    }

    private void load(long position, int length) throws IOException {
        if (position >= start && position + length <= start + window.limit()) {
            return;
        }
        window.clear();
        start = position;
        while (window.hasRemaining() && channel.read(window, start + window.position()) >= 0) {
            // fill the window, or stop at the end of the file
        }
        window.flip();
        if (window.limit() < length) {
            throw new EOFException("read of " + length + " bytes at " + position + " passes the end of the file");
        }
    }

    private int offset(long position) {
        return (int) (position - start);
    }
}
