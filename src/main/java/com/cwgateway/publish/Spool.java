package com.cwgateway.publish;

import com.cwgateway.buffer.Drained;
import com.cwgateway.buffer.Taken;
import com.cwgateway.ingest.CloudWatchRules;
import com.cwgateway.ingest.InvalidInputException;
import com.cwgateway.ingest.PutMetricDataReader;
import com.cwgateway.metric.Datum;
import com.cwgateway.metric.Dimension;
import com.cwgateway.metric.MetricBatch;
import com.cwgateway.metric.MetricValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * What could not be delivered by shutdown, kept on disk ({@code SPOOL_DIR}) and replayed at the next start.
 * A spool file holds one PutMetricData input per line, in CloudWatch's JSON shape, as clients post it. It
 * is written to a temporary file, forced to disk, then renamed, so a file with the final name is always
 * whole; anything else found there (a temporary file left by a crash, a file that does not read back) is
 * moved aside with an error, and start-up goes on.
 */
public final class Spool {

    private static final Logger LOG = Logger.getLogger(Spool.class.getName());
    private static final JsonFactory JSON = new JsonFactory();
    private static final String SUFFIX = ".jsonl";
    private static final String TEMPORARY = ".tmp";

    private final Path dir;
    private final PutMetricDataReader reader;

    public Spool(Path dir, Clock clock) {
        this.dir = dir;
        this.reader = PutMetricDataReader.forAcceptedData(clock);
        warmUp();
    }

    /**
     * Writes a spool line to nowhere, so the classes a write needs are loaded now. At shutdown it would be
     * too late to load them if the jar had been replaced meanwhile (an upgrade, a rebuild): the spool is the
     * last place undelivered data can go, so it must not depend on the jar still being there.
     */
    private static void warmUp() {
        try (JsonGenerator json = JSON.createGenerator(OutputStream.nullOutputStream())) {
            PutMetricDataJson.writeInput(json, "warm-up", List.of(new Datum("m", List.of(new Dimension("d", "v")),
                    new MetricValue.Single(1), "Count", 60, 0)));
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Chunker.chunks("warm-up", List.of());
    }

    public Path dir() {
        return dir;
    }

    /** What waits in the spool for the next start: files and bytes, or -1 each when it cannot be read. */
    public record Waiting(long files, long bytes) {}

    public Waiting waiting() {
        long files = 0;
        long bytes = 0;
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, "spool-*" + SUFFIX)) {
                for (Path file : listing) {
                    files++;
                    bytes += Files.size(file);
                }
            } catch (IOException e) {
                return new Waiting(-1, -1);
            }
        }
        return new Waiting(files, bytes);
    }

    /** Writes everything {@code drained} hands out to a new spool file, settling each part; returns the file. */
    public Path write(Drained drained) throws IOException {
        Files.createDirectories(dir);
        Path temporary = Files.createTempFile(dir, "spool-", TEMPORARY);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            JsonGenerator json = JSON.createGenerator(out);
            for (Taken part = drained.next(CloudWatchRules.MAX_DATUMS_PER_REQUEST); part != null;
                    part = drained.next(CloudWatchRules.MAX_DATUMS_PER_REQUEST)) {
                for (List<Datum> chunk : Chunker.chunks(part.namespace(), part.datums())) {
                    PutMetricDataJson.writeInput(json, part.namespace(), chunk);
                    json.writeRaw('\n');
                }
                drained.settled(part);
            }
            json.flush();
            channel.force(true);
        }
        Path spooled = dir.resolve("spool-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + SUFFIX);
        Files.move(temporary, spooled, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory();
        return spooled;
    }

    /** Makes the rename itself durable; not every file system allows it, and the data is on disk anyway. */
    private void forceDirectory() {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.fine("could not force the spool directory to disk: " + e);
        }
    }

    /**
     * Reads every spool file back, deleting each once read; files that are partial or do not read back are
     * renamed to {@code *.corrupt} and logged. Never fails start-up: an unreadable directory is logged too.
     */
    public List<MetricBatch> replay() {
        List<MetricBatch> batches = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return batches;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir, "spool-*")) {
            listing.forEach(files::add);
        } catch (IOException e) {
            LOG.severe("cannot read the spool directory " + dir + ": " + e.getMessage() + "; starting without it");
            return batches;
        }
        files.sort(null);
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(TEMPORARY)) {
                moveAside(file, "it was left partly written (the gateway stopped while writing it)");
            } else if (name.endsWith(SUFFIX)) {
                replayFile(file, batches);
            }
        }
        return batches;
    }

    private void replayFile(Path file, List<MetricBatch> batches) {
        List<MetricBatch> read = new ArrayList<>();
        int lineNumber = 0;
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                lineNumber++;
                if (!line.isBlank()) {
                    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                    read.add(reader.readInput(bytes, bytes.length));
                }
            }
        } catch (InvalidInputException e) {
            moveAside(file, "line " + lineNumber + " does not read back: " + e.getMessage() + " " + e.problems());
            return;
        } catch (IOException e) {
            moveAside(file, "it cannot be read: " + e);
            return;
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            // Replayed again at the next start, its data would be published twice: keep it out of the way.
            LOG.warning("spool file " + file + " was replayed but cannot be deleted (" + e + "); renaming it");
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".replayed"));
            } catch (IOException renameFailed) {
                LOG.severe("spool file " + file + " cannot be renamed either; it is skipped: " + renameFailed);
                return;
            }
        }
        batches.addAll(read);
    }

    private static void moveAside(Path file, String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.severe("spool file " + file + " is not replayed and was moved to " + aside + ": " + why);
        } catch (IOException e) {
            LOG.severe("spool file " + file + " is not replayed (" + why + ") and could not be moved aside: " + e);
        }
    }
}
