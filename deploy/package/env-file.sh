#!/bin/sh
# Usage: env-file.sh PREFIX > env
# Writes the .deb's /etc/aws-cloudwatch-metrics-http-gateway/env: every setting, commented out at its default,
# taken from the --help of the gateway laid out in PREFIX, so the file lists what the code reads and cannot drift.
set -eu
cat <<'HEAD'
# Settings of aws-cloudwatch-metrics-http-gateway, read by its systemd unit (EnvironmentFile=): one KEY=value
# per line, no quotes. Uncomment a line to change a setting; each shows the default. Restart to apply:
#   systemctl restart aws-cloudwatch-metrics-http-gateway
# The unit keeps the spool in its StateDirectory (SPOOL_DIR=/var/lib/aws-cloudwatch-metrics-http-gateway).

# AWS region (required) and credentials, read by the AWS SDK; on EC2 prefer an instance role to keys.
#AWS_REGION=
#AWS_ACCESS_KEY_ID=
#AWS_SECRET_ACCESS_KEY=
#AWS_ENDPOINT_URL_CLOUDWATCH=

# JVM flags of the launcher; unset, it uses its defaults (SerialGC, -Xmx512m, ...).
#JAVA_OPTS=

HEAD
# --help prints "  NAME   default VALUE", the meaning indented by 6, then "      allowed: ...".
"$1/bin/aws-cloudwatch-metrics-http-gateway" --help | awk '
  /^  [A-Z][A-Z0-9_]* +default/ { name = $1; value = $0; sub(/^ +[A-Z0-9_]+ +default ?/, "", value); next }
  name != "" && /^      allowed: / { sub(/^ +/, ""); print "# " $0; print "#" name "=" value; print ""; name = ""; next }
  name != "" && /^      / { sub(/^ +/, ""); print "# " $0 }
'
