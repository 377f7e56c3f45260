#!/bin/sh
# Usage: docker-pins.sh [DOCKERFILE]   (default: Dockerfile)
# Pins each FROM image of the Dockerfile to the digest its tag names today (FROM image:tag@sha256:...), so a
# build cannot change under a moved tag; run it again to take updates, and review the diff. Needs the
# registry: crane, else docker with buildx.
set -eu
file=${1:-Dockerfile}
digest() {
  if command -v crane >/dev/null; then
    crane digest "$1"
  else
    docker buildx imagetools inspect --format '{{.Manifest.Digest}}' "$1"
  fi
}
for image in $(sed -n 's/^FROM \([^ @]*\).*/\1/p' "$file" | sort -u); do
  pin=$(digest "$image")
  case $pin in sha256:*) ;; *) echo "docker-pins.sh: no digest for $image: '$pin'" >&2; exit 1 ;; esac
  sed -i "s#^FROM $image\(@sha256:[0-9a-f]*\)\{0,1\}\( \|\$\)#FROM $image@$pin\2#" "$file"
  echo "$image@$pin"
done
