#!/bin/sh
# Makes profiles/kumihan-cmyk-fogra39.icc again (see profiles/README.md). For maintainers only:
# needs Debian's argyll (colprof) and the FOGRA39L.ti3 of icc-profiles-free (apt-get download icc-profiles-free).
set -eu
work=$(mktemp -d)
cd "$work"
apt-get download icc-profiles-free
dpkg-deb -x icc-profiles-free_*.deb .
cp usr/share/color/icc/FOGRA39L.ti3 .
colprof -qm -kr -l 300 -L 100 \
  -D "kumihan press CMYK (FOGRA39L data, TAC 300%)" \
  -C "Made by kumihan's scripts/make-cmyk-profile.sh from FOGRA39L.ti3 (Zlib) with ArgyllCMS colprof" FOGRA39L
cd - >/dev/null
cp "$work/FOGRA39L.icc" profiles/kumihan-cmyk-fogra39.icc
rm -rf "$work"
