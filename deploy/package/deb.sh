#!/bin/sh
# Usage: deb.sh PREFIX VERSION OUT.deb
# Builds the .deb from the installation laid out in PREFIX (layout.sh): it installs to
# /opt/aws-cloudwatch-metrics-http-gateway, links the launcher into /usr/bin, and ships the systemd unit of
# deploy/systemd as it is (it runs that launcher with the settings in /etc/aws-cloudwatch-metrics-http-gateway/env)
# and env.example beside it: every setting commented out, which postinst copies to that env file when there is
# none (not a conffile: a template that changes with every release would stop unattended upgrades at a prompt).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=$1 version=$2 out=$3
name=aws-cloudwatch-metrics-http-gateway
root=$(mktemp -d)
chmod 0755 "$root" # the package's ./ entry; mktemp makes it 0700
trap 'rm -rf "$root"' EXIT

mkdir -p "$root/opt" "$root/usr/bin" "$root/lib/systemd/system" "$root/DEBIAN"
cp -a "$prefix" "$root/opt/$name"
ln -s "/opt/$name/bin/$name" "$root/usr/bin/$name"

unit="$root/lib/systemd/system/$name.service"
cp "$here/../systemd/$name.service" "$unit"
# The unit must run what the package installs, with the settings file it installs.
grep -qx "ExecStart=/opt/$name/bin/$name" "$unit" && grep -qx "EnvironmentFile=/etc/$name/env" "$unit" \
  || { echo "deb.sh: deploy/systemd/$name.service must run /opt/$name/bin/$name with /etc/$name/env" >&2; exit 1; }

# /opt/$name/env.example (layout.sh) is the template of /etc/$name/env, which postinst makes (0600: it may
# hold AWS keys) when it is missing.

for script in postinst prerm postrm; do
  install -m 0755 "$here/debian/$script" "$root/DEBIAN/$script"
done
# The jlink runtime bundles zlib; of the system it needs glibc only (ldd on its libraries; the X11 and ALSA
# ones of java.desktop are never loaded by a headless server).
cat > "$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: amd64
Maintainer: aws-cloudwatch-metrics-http-gateway maintainers <noreply@localhost>
Depends: libc6
Section: net
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Description: publish CloudWatch metrics over plain HTTP
 An HTTP gateway that validates, buffers, merges and publishes CloudWatch
 metrics with the AWS SDK. Brings its own Java runtime; runs as a systemd
 service with its settings in /etc/$name/env.
CONTROL
# zstd: a second to compress against 45 s for xz, for 12% more bytes (dpkg reads it since Debian 12).
dpkg-deb --build --root-owner-group -Zzstd "$root" "$out" >/dev/null
