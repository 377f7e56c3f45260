package com.cwgateway.wal;

import java.nio.file.Path;

/**
 * A segment file of the log: its path, its sequence number (order of writing) and its size in bytes. Only
 * sealed segments are handed out, and a sealed segment never changes, so the size is taken once.
 */
public record Segment(Path file, long sequence, long bytes) {}
