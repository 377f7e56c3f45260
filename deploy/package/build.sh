#!/bin/sh
# Usage: build.sh [JAR [OUTDIR]]   (defaults: target/aws-cloudwatch-metrics-http-gateway.jar, target/dist)
# What `make package` makes, and `mvn verify` before the process tests: in OUTDIR the installation laid out
# (aws-cloudwatch-metrics-http-gateway/), its tarball aws-cloudwatch-metrics-http-gateway-<version>-linux-x64.tar.gz
# and the .deb aws-cloudwatch-metrics-http-gateway_<version>_amd64.deb.
set -eu
here=$(dirname "$0")
jar=${1:-target/aws-cloudwatch-metrics-http-gateway.jar}
out=${2:-target/dist}
name=aws-cloudwatch-metrics-http-gateway

mkdir -p "$out"
rm -f "$out/$name"-*-linux-x64.tar.gz "$out/$name"_*_amd64.deb
"$here/layout.sh" "$jar" "$out/$name"
version=$("$out/$name/bin/$name" --version | sed -n "s/^$name //p")
[ -n "$version" ] || { echo "build.sh: the laid-out gateway did not print its version" >&2; exit 1; }

# Unpacks to one directory, <name>-<version>/, that runs from anywhere.
tar -C "$out" --owner=0 --group=0 --transform "s|^$name|$name-$version|" \
  -czf "$out/$name-$version-linux-x64.tar.gz" "$name"
"$here/deb.sh" "$out/$name" "$version" "$out/${name}_${version}_amd64.deb"
ls -l "$out/$name-$version-linux-x64.tar.gz" "$out/${name}_${version}_amd64.deb"
