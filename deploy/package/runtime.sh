#!/bin/sh
# Usage: runtime.sh JAR DIR
# Makes DIR a Java runtime holding only the modules JAR needs, with jlink from a JDK 25 or newer ($JAVA_HOME,
# else the newest under /usr/lib/jvm): the runtime is that JDK's version, so nothing else on the machine has to be.
set -eu
jar=$1 dir=$2

jdk_major() { sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null; }
jdk=
for candidate in ${JAVA_HOME:-} $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
  candidate=${candidate%/}
  if [ -x "$candidate/bin/jlink" ] && [ "0$(jdk_major "$candidate")" -ge 25 ]; then jdk=$candidate; break; fi
done
if [ -z "$jdk" ]; then
  echo "runtime.sh: no JDK 25 or newer with jlink: install one (e.g. Temurin 25) or set JAVA_HOME to it" >&2
  exit 1
fi

# jdeps sees what the classes name; the rest is found at run time through service loading:
# jdk.crypto.ec and jdk.crypto.cryptoki are not needed (TLS's EC and ECDHE live in java.base since JDK 22),
# jdk.charsets, jdk.localedata and jdk.zipfs neither (the gateway speaks UTF-8 and the root locale).
modules=$("$jdk/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 "$jar")
rm -rf "$dir"
# --generate-cds-archive: the default class-data archive, without which starts are slower and
# -XX:ArchiveClassesAtExit (the Dockerfile's AppCDS) has no base to build on.
"$jdk/bin/jlink" --add-modules "$modules" --output "$dir" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --generate-cds-archive
