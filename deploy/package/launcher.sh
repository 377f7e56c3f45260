#!/bin/sh
# Runs the gateway on the Java runtime installed beside this script (<prefix>/bin), so the machine needs no Java.
# JVM flags: the Makefile's JAVA_OPTS defaults (why each: see there); set JAVA_OPTS to replace them.
set -e
self=$0
while [ -L "$self" ]; do # /usr/bin/aws-cloudwatch-metrics-http-gateway and the like: find the real file
  link=$(readlink "$self")
  case $link in
    /*) self=$link ;;
    *) self=$(dirname "$self")/$link ;;
  esac
done
prefix=$(cd "$(dirname "$self")/.." && pwd -P)
JAVA_OPTS=${JAVA_OPTS-@JAVA_OPTS@}
# JAVA_OPTS is split into flags on purpose.
exec "$prefix/runtime/bin/java" $JAVA_OPTS -jar "$prefix/lib/aws-cloudwatch-metrics-http-gateway.jar" "$@"
