package com.cwgateway.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What {@link SegmentWriter} does to its file: write at a position, force, truncate. A seam for tests to put a
 * failing disk in its place.
 */
interface SegmentFile extends Closeable {

    /** Writes what it can of {@code bytes} at {@code position}, like {@link FileChannel#write(ByteBuffer, long)}. */
    int write(ByteBuffer bytes, long position) throws IOException;

    /** Forces written data to the device (fdatasync): {@code FileChannel.force(false)}. */
    void force() throws IOException;

    void truncate(long size) throws IOException;

    /** Creates segment files. */
    @FunctionalInterface
    interface Creator {
        /** Creates {@code file}, failing with FileAlreadyExistsException when it exists. */
        SegmentFile createNew(Path file) throws IOException;
    }

    /** Real files on disk. */
    Creator FILES = file -> new OnDisk(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));

    record OnDisk(FileChannel channel) implements SegmentFile {

        @Override
        public int write(ByteBuffer bytes, long position) throws IOException {
            return channel.write(bytes, position);
        }

        @Override
        public void force() throws IOException {
            channel.force(false);
        }

        @Override
        public void truncate(long size) throws IOException {
            channel.truncate(size);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
