#!/bin/sh
# Put the workbench in the desktop's application menu (for this user) and its
# two commands on PATH (~/.local/bin).  Run it from the unpacked bundle folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
share="$here/_internal/share"
bin="${XDG_BIN_HOME:-$HOME/.local/bin}"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$bin" "$data/applications" "$data/icons/hicolor/256x256/apps" "$data/icons/hicolor/scalable/apps"
ln -sf "$here/workbench" "$bin/workbench"
ln -sf "$here/workbench-gui" "$bin/workbench-gui"
cp "$share/icons/workbench.png" "$data/icons/hicolor/256x256/apps/workbench.png"
cp "$share/icons/workbench.svg" "$data/icons/hicolor/scalable/apps/workbench.svg"
sed "s|^Exec=workbench-gui|Exec=$here/workbench-gui|" "$share/applications/workbench.desktop" \
    > "$data/applications/workbench.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "installed: $data/applications/workbench.desktop; commands in $bin"
echo "check the machine with: $bin/workbench doctor"
