#!/usr/bin/env bash
# Debian packages the tool uses at run time: libzbar0 (pyzbar backend) and the xcb libraries PySide6's
# window needs under X11. Installed when we are root with apt; otherwise we say what is missing and go on.
set -u
want="libzbar0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-cursor0 libxcb-xkb1 libxkbcommon-x11-0"
missing=""
for p in $want; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages:$missing"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/dev/null 2>&1 \
    || echo "warning: could not install$missing; the zbar backend or the window may be unavailable"
else
  echo "note: missing system packages:$missing (install them with your package manager as root)"
fi
exit 0
