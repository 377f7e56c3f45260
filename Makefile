# The gateway's everyday commands. Each finds a JDK >= 21 by itself: $JAVA_HOME, then `java` on the PATH,
# then the newest under /usr/lib/jvm. Settings for `make run` may live in .env (KEY=value lines).

JAR := target/aws-cloudwatch-metrics-http-gateway.jar
CDS_ARCHIVE := target/aws-cloudwatch-metrics-http-gateway.jsa

# A JDK's major version, from `java -XshowSettings:properties`, which every JDK since 8 prints the same way.
java_major = $(shell "$(1)/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p')
path_java_home = $(shell j=$$(command -v java 2>/dev/null) && dirname "$$(dirname "$$(readlink -f "$$j")")")

ifneq ($(JAVA_HOME),)
ifeq ($(shell test "0$(call java_major,$(JAVA_HOME))" -ge 21 && echo ok),ok)
JDK := $(JAVA_HOME)
endif
endif
ifeq ($(JDK),)
ifneq ($(path_java_home),)
ifeq ($(shell test "0$(call java_major,$(path_java_home))" -ge 21 && echo ok),ok)
JDK := $(path_java_home)
endif
endif
endif
ifeq ($(JDK),)
JDK := $(shell for d in $$(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do \
	v=$$("$$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'); \
	if [ "0$$v" -ge 21 ]; then echo "$${d%/}"; break; fi; done)
endif

export JAVA_HOME := $(JDK)
JAVA := $(JDK)/bin/java
# The commit that --version names: git's short hash, -dirty with uncommitted changes; unknown outside git.
COMMIT := $(shell c=$$(git rev-parse --short=12 HEAD 2>/dev/null) && { git diff --quiet HEAD -- 2>/dev/null && echo $$c || echo $$c-dirty; } || echo unknown)
MVN := mvn -B -ntp -Dgateway.commit=$(COMMIT)
# The Dockerfile's JVM flags (see there for the measurements), with the heap capped (-Xmx512m) instead of a
# share of a container's limit: SerialGC grows the old generation rather than collect it while it can, so on
# a VM an uncapped heap creeps towards most of the machine's memory. -XX:+ExitOnOutOfMemoryError: a JVM out of
# memory is in no state to keep its promises (a thread may have died halfway); exit, and let systemd, Docker
# or Kubernetes start it again, with the spool it left. Override with JAVA_OPTS=...
JAVA_OPTS ?= -XX:+UseSerialGC -Xmx512m -Xmn96m -XX:SurvivorRatio=3 -XX:+ExitOnOutOfMemoryError

.PHONY: run test build docker jdk clean cds

$(JAR): pom.xml $(shell find src/main -type f 2>/dev/null)
	@$(MAKE) --no-print-directory build

run: $(JAR) ## Build when sources changed, then run the gateway in the foreground with the settings in .env (if any).
	@set -a; [ ! -f .env ] || . ./.env; set +a; \
	if [ $(CDS_ARCHIVE) -nt $(JAR) ]; then cds="-XX:SharedArchiveFile=$(CDS_ARCHIVE) -Xlog:cds=off"; fi; \
	exec "$(JAVA)" $(JAVA_OPTS) $$cds -jar $(JAR)

cds: $(JAR) ## A class-data archive (AppCDS) for faster starts; make run uses it while it is newer than the jar.
	"$(JAVA)" $(JAVA_OPTS) -XX:ArchiveClassesAtExit=$(CDS_ARCHIVE) -jar $(JAR) --self-test

test: jdk ## Every test: unit, through the real HTTP server, the packaged jar as a process, and the tarball and .deb of make package (built first; needs a JDK 25+ for jlink).
	$(MVN) verify

build: jdk ## The runnable jar, at target/aws-cloudwatch-metrics-http-gateway.jar.
	$(MVN) -DskipTests package

.PHONY: bench
bench: build ## Build, then measure the gateway against a CloudWatch stand-in and this machine's ceilings (bench/run.sh; table in target/bench/results.md).
	bench/run.sh

.PHONY: soak
SOAK_SECONDS ?= 180
SOAK_SEED ?=
soak: build ## Minutes of mixed load, kill -9 cycles, a brownout and a high-cardinality outage against CloudWatch stand-ins; fails on any unexplained loss, ledger imbalance or uncounted duplicate (SOAK_SECONDS, SOAK_SEED).
	$(MVN) -q -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/soak-classpath.txt
	"$(JAVA)" -cp target/test-classes:$$(cat target/soak-classpath.txt) com.cwgateway.soak.Soak $(SOAK_SECONDS) $(SOAK_SEED)

.PHONY: package
package: $(JAR) ## The jar with a Java runtime of only the modules it needs (jlink of a JDK 25+): in target/dist a tarball that runs with no Java installed and a .deb with the systemd unit (deploy/package/build.sh).
	deploy/package/build.sh $(JAR) target/dist

docker: ## The container image (needs a Docker engine).
	docker build --build-arg COMMIT=$(COMMIT) -t aws-cloudwatch-metrics-http-gateway .

.PHONY: docker-pins
docker-pins: ## Pin the Dockerfile's base images to the digests their tags have today (needs crane or docker buildx and the registry).
	deploy/package/docker-pins.sh Dockerfile

jdk:
	@if [ -z "$(JDK)" ]; then echo "no JDK 21 or newer found (make test and make package need 25): install one under /usr/lib/jvm (Temurin's builds; Debian 12 packages none, Debian 13 packages openjdk-21-jdk-headless) or set JAVA_HOME; to run the gateway without a JDK, use the tarball or .deb of make package" >&2; exit 1; fi
	@echo "using JDK $(JDK)"

clean:
	$(MVN) clean
