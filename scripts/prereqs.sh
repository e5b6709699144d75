#!/usr/bin/env bash
# prereqs.sh installs what copslab's commands need on a Debian 12 machine and
# does nothing when everything is already there. It is called by `make run`,
# `make test` and .ci/run, so a fresh machine needs no manual steps.
#
#   scripts/prereqs.sh          everything (QEMU, gdb, X server, GUI build libs)
#   scripts/prereqs.sh base     only QEMU (system and user mode) and gdb-multiarch
set -euo pipefail

want=${1:-all}
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi

# command -> Debian package
need=()
check() { command -v "$1" >/dev/null 2>&1 || need+=("$2"); }
check qemu-system-riscv64 qemu-system-misc
check qemu-riscv64 qemu-user
check gdb-multiarch gdb-multiarch
check dtc device-tree-compiler	# board device trees (boards/*.dts) in the FPGA memory-map test
check make make
check gcc gcc
if [ "$want" = all ]; then
	check Xvfb xvfb
	check xdotool xdotool
	check xwd x11-apps
	# Fyne's desktop driver (cgo, GLFW) needs the GL and X11 headers.
	[ -e /usr/include/GL/gl.h ] || need+=(libgl1-mesa-dev)
	[ -e /usr/include/X11/extensions/Xrandr.h ] || need+=(xorg-dev)
	[ -e /usr/include/X11/extensions/XInput2.h ] || need+=(libxi-dev)
	[ -e /usr/include/X11/Xcursor/Xcursor.h ] || need+=(libxcursor-dev)
	[ -e /usr/include/X11/extensions/Xinerama.h ] || need+=(libxinerama-dev)
	[ -e /usr/include/X11/extensions/XInput.h ] || need+=(libxxf86vm-dev)
fi

if [ ${#need[@]} -gt 0 ]; then
	echo "prereqs: installing ${need[*]}" >&2
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Go: the kernel's runtime layer is written against Go 1.26.
if ! command -v go >/dev/null 2>&1; then
	if [ -x /usr/local/go/bin/go ]; then
		echo "prereqs: Go is at /usr/local/go/bin but not on PATH; add it: export PATH=/usr/local/go/bin:\$PATH" >&2
	else
		echo "prereqs: Go 1.26 is required (https://go.dev/dl); Debian 12's golang-go is too old" >&2
	fi
	exit 1
fi
case "$(go env GOVERSION)" in
go1.26*) ;;
*) echo "prereqs: Go 1.26.x required, found $(go env GOVERSION)" >&2; exit 1 ;;
esac

# Delve: the workbench's source pane drives dlv with the JSON-RPC client of
# github.com/go-delve/delve, so dlv is installed at the version go.mod pins
# for that module, into GOBIN (else GOPATH/bin), where copslab looks first.
if [ "$want" = all ]; then
	root=$(cd "$(dirname "$0")/.." && pwd)
	dlv_version=$(awk '$1 == "github.com/go-delve/delve" { print $2 }' "$root/go.mod")
	gobin=$(go env GOBIN)
	[ -n "$gobin" ] || gobin="$(go env GOPATH | cut -d: -f1)/bin"
	if ! "$gobin/dlv" version 2>/dev/null | grep -qx "Version: ${dlv_version#v}"; then
		echo "prereqs: installing dlv $dlv_version into $gobin" >&2
		(cd "$root" && go install "github.com/go-delve/delve/cmd/dlv@$dlv_version")
	fi
fi
