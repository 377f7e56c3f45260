#!/bin/sh
# Usage: env-file.sh PREFIX JAVA_OPTS > env   (JAVA_OPTS: the launcher's default JVM flags, as layout.sh read them)
# Writes the template of /etc/aws-cloudwatch-metrics-http-gateway/env: every setting, commented out at the value
# it has under the unit (its default, but SPOOL_DIR, which the unit sets), taken from the --help of the gateway
# laid out in PREFIX, so the file lists what the code reads and cannot drift. Uncommenting a line as it stands
# changes nothing.
set -eu
java_opts=$2
cat <<'HEAD'
# Settings of aws-cloudwatch-metrics-http-gateway, read by its systemd unit (EnvironmentFile=): one KEY=value
# per line, no quotes. Uncomment a line to change a setting; each shows the value in force. Restart to apply:
#   systemctl restart aws-cloudwatch-metrics-http-gateway

# AWS region (required) and credentials, read by the AWS SDK; on EC2 prefer an instance role to keys.
#AWS_REGION=
#AWS_ACCESS_KEY_ID=
#AWS_SECRET_ACCESS_KEY=
#AWS_ENDPOINT_URL_CLOUDWATCH=

HEAD
cat <<JVM
# JVM flags of the launcher; these are its defaults (what it uses while this stays commented out).
#JAVA_OPTS=$java_opts

JVM
# --help prints "  NAME   default VALUE", the meaning indented by 6, then "      allowed: ...".
"$1/bin/aws-cloudwatch-metrics-http-gateway" --help | awk '
  /^  [A-Z][A-Z0-9_]* +default/ { name = $1; value = $0; sub(/^ +[A-Z0-9_]+ +default ?/, "", value)
                                  if (name == "SPOOL_DIR") value = "/var/lib/aws-cloudwatch-metrics-http-gateway"; next }
  name != "" && /^      allowed: / { sub(/^ +/, ""); print "# " $0; print "#" name "=" value; print ""; name = ""; next }
  name != "" && /^      / { sub(/^ +/, ""); print "# " $0 }
'
