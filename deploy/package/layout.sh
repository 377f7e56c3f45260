#!/bin/sh
# Usage: layout.sh JAR PREFIX
# Lays out a self-contained installation: PREFIX/runtime (runtime.sh), PREFIX/lib/<jar> and the launcher
# PREFIX/bin/aws-cloudwatch-metrics-http-gateway, whose JVM flags are the Makefile's JAVA_OPTS defaults, and
# PREFIX/env.example, every setting for a settings file (env-file.sh). Files readable by all, whatever the umask.
set -eu
here=$(dirname "$0")
jar=$1 prefix=$2
java_opts=$(sed -n 's/^JAVA_OPTS ?= //p' "$here/../../Makefile")
[ -n "$java_opts" ] || { echo "layout.sh: no 'JAVA_OPTS ?= ' line in the Makefile" >&2; exit 1; }

rm -rf "$prefix"
mkdir -p "$prefix/bin" "$prefix/lib"
"$here/runtime.sh" "$jar" "$prefix/runtime"
cp "$jar" "$prefix/lib/aws-cloudwatch-metrics-http-gateway.jar"
sed "s|@JAVA_OPTS@|$java_opts|" "$here/launcher.sh" > "$prefix/bin/aws-cloudwatch-metrics-http-gateway"
chmod 0755 "$prefix/bin/aws-cloudwatch-metrics-http-gateway"
"$here/env-file.sh" "$prefix" "$java_opts" > "$prefix/env.example"
chmod -R u=rwX,go=rX "$prefix"
