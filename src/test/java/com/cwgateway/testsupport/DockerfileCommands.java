package com.cwgateway.testsupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The exec-form commands of the Dockerfile ({@code ENTRYPOINT [...]}, {@code CMD [...]}, {@code RUN [...]}). */
public final class DockerfileCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DockerfileCommands() {}

    /**
     * The JSON array of the first line (leading blanks aside, as a HEALTHCHECK's continued CMD has them) that
     * starts with {@code instruction} and a {@code [}; fails when there is none.
     */
    public static List<String> execForm(String instruction) throws IOException {
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            String trimmed = line.strip();
            if (trimmed.startsWith(instruction + " [")) {
                List<String> command = new ArrayList<>();
                JSON.readTree(trimmed.substring(instruction.length() + 1)).forEach(part -> command.add(part.asText()));
                return command;
            }
        }
        throw new IllegalStateException("the Dockerfile has no exec-form " + instruction);
    }
}
