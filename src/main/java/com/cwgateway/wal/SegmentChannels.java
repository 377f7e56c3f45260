package com.cwgateway.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a new segment file for writing. The one real way is {@link #FILES}; tests put a channel in between
 * that fails writes and forces on demand, which a real disk does only when it is full or failing.
 */
@FunctionalInterface
interface SegmentChannels {

    SegmentChannels FILES = file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    /** Creates {@code file}, failing with FileAlreadyExistsException when it exists. */
    FileChannel createNew(Path file) throws IOException;
}
