# syntax=docker/dockerfile:1
# Build: docker build -t aws-cloudwatch-metrics-http-gateway .   (make docker)
# Run:   docker run --rm -p 3000:3000 --env-file .env --stop-timeout 35 \
#          -v gateway-spool:/var/lib/aws-cloudwatch-metrics-http-gateway aws-cloudwatch-metrics-http-gateway
# --stop-timeout: above the gateway's shutdown budget, SHUTDOWN_DELAY_MS (0) + SHUTDOWN_TIMEOUT_MS (25 s), so
# Docker does not kill its final flush; raise it with either. The named volume keeps what a stop could not
# deliver for the next container.
# The base images are named by tag, not yet pinned: `make docker-pins` (deploy/package/docker-pins.sh) pins
# each FROM to the digest its tag has today; run it where a registry is reachable and commit the result.

# 1. Build the jar with Maven on JDK 25 (compiled for release 21), then lay it out as the tarball and .deb do
#    (deploy/package/layout.sh): a jlink runtime of only the modules the jar needs, and the jar.
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
# Dependencies first, in their own layer, so a source change does not download them again.
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
# The commit --version names (make docker passes it; the build context has no .git).
ARG COMMIT=unknown
RUN mvn -B -ntp -q -Dgateway.commit=${COMMIT} -DskipTests package
# layout.sh takes the launcher's JVM flags from the Makefile; the image runs java directly (no shell).
COPY Makefile .
COPY deploy/package ./deploy/package
RUN deploy/package/layout.sh target/aws-cloudwatch-metrics-http-gateway.jar /opt/aws-cloudwatch-metrics-http-gateway
# The spool directory, created here because the runtime image has no shell; owned by nonroot (65532).
RUN mkdir -p /spool

# 2. Train a class-data archive (AppCDS) on the very runtime and base that run it: --self-test starts a
#    gateway, posts a metric, flushes, stops and builds a CloudWatch client, and the JVM writes the classes it
#    loaded at exit. Later starts map them instead of loading them. The archive is only valid for this JVM,
#    these flags and this jar file, so the final stage copies all three from here; the heap flags are the
#    ENTRYPOINT's, so that both pick compressed oops alike on any host (on a large one, a heap over 32 GB
#    turns them off, and an archive trained with them would be refused).
FROM gcr.io/distroless/base-debian13:nonroot AS cds
COPY --from=build /opt/aws-cloudwatch-metrics-http-gateway/runtime /opt/aws-cloudwatch-metrics-http-gateway/runtime
COPY --from=build /opt/aws-cloudwatch-metrics-http-gateway/lib /opt/aws-cloudwatch-metrics-http-gateway/lib
RUN ["/opt/aws-cloudwatch-metrics-http-gateway/runtime/bin/java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60", "-Xmn96m", "-XX:SurvivorRatio=3", "-XX:ArchiveClassesAtExit=/tmp/gateway.jsa", "-jar", "/opt/aws-cloudwatch-metrics-http-gateway/lib/aws-cloudwatch-metrics-http-gateway.jar", "--self-test"]

# 3. Run on distroless base (glibc, CA certificates, no shell, no package manager, a nonroot user, uid 65532):
#    the jlink runtime needs nothing else from the system (ldd: libc, libm, libdl, libpthread, librt; its zlib
#    is bundled), so neither a Java base image nor cc's libstdc++.
FROM gcr.io/distroless/base-debian13:nonroot
WORKDIR /opt/aws-cloudwatch-metrics-http-gateway
COPY --from=cds /opt/aws-cloudwatch-metrics-http-gateway /opt/aws-cloudwatch-metrics-http-gateway
COPY --from=cds /tmp/gateway.jsa /opt/aws-cloudwatch-metrics-http-gateway/lib/gateway.jsa
COPY --from=build --chown=65532:65532 /spool /var/lib/aws-cloudwatch-metrics-http-gateway
USER nonroot
EXPOSE 3000
ENV PORT=3000 \
    SPOOL_DIR=/var/lib/aws-cloudwatch-metrics-http-gateway
# What a stop could not deliver waits here for the next start: mount a named volume to keep it.
VOLUME /var/lib/aws-cloudwatch-metrics-http-gateway
# SerialGC: on the 2-core machine this was measured on (wrk -t1 -c64 -d10s, POST /metrics), peak RSS was
# ~320 MB with SerialGC against ~1.3 GB with the default G1, and throughput was higher. The young generation
# is sized, not left to the JVM: by default it is a third of the initial heap, 1/64 of the memory, so a few MB
# in a container (throughput fell to a third) and 126 MB on a 24 GB host (all of it resident). 96 MB with
# survivor spaces of 19 MB (SurvivorRatio=3) holds the requests in flight under /batch load, so they die
# young instead of being promoted and piling up in the old generation. Besides the heap the JVM keeps about
# 105 MB resident (code, classes, threads, libraries: bench/RESULTS.md), so the heap may take 60% of the
# container's limit: with the 512 MiB of deploy/kubernetes, 307 MB; at 75% peak RSS reached 502 MB of
# 512 MiB under /batch, a step from being killed. The archive from stage 2 makes the start faster (see
# bench/RESULTS.md); were it ever stale, the JVM would start without it. -XX:+ExitOnOutOfMemoryError: a JVM out
# of memory may have lost a thread halfway through anything; it exits (and is restarted) instead of limping on.
# Health, without a shell or curl in the image: the jar's --probe asks GET /ready of the gateway these settings
# configure (ADMIN_PORT when set, else PORT) and exits 0 or 1; a small JVM of its own for each check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/opt/aws-cloudwatch-metrics-http-gateway/runtime/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-jar", "/opt/aws-cloudwatch-metrics-http-gateway/lib/aws-cloudwatch-metrics-http-gateway.jar", "--probe"]
ENTRYPOINT ["/opt/aws-cloudwatch-metrics-http-gateway/runtime/bin/java", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=60", "-Xmn96m", "-XX:SurvivorRatio=3", "-XX:SharedArchiveFile=/opt/aws-cloudwatch-metrics-http-gateway/lib/gateway.jsa", "-Xlog:cds=off", "-jar", "/opt/aws-cloudwatch-metrics-http-gateway/lib/aws-cloudwatch-metrics-http-gateway.jar"]
