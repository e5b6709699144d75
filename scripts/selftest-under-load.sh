#!/bin/sh
# Boot the kernel's self-test N times (default 50) while BUSY (default 2)
# busy loops keep the host's cores loaded, and count the failed boots.
# The self-test's timing checks judge against the guest's own ticks or
# retry, so a busy host must not make them fail.
#
#   scripts/selftest-under-load.sh [N]      (KERNEL=out/kernel.elf, BUSY=2)
set -eu
n=${1:-50}
busy=${BUSY:-2}
kernel=${KERNEL:-out/kernel.elf}
[ -f "$kernel" ] || go run ./kernel/cmd/mkkernel -o "$kernel"
log=$(mktemp)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -f "$log"
}
trap cleanup EXIT INT TERM
i=0
while [ "$i" -lt "$busy" ]; do
	sh -c 'while :; do :; done' &
	pids="$pids $!"
	i=$((i + 1))
done
fail=0
start=$(date +%s)
i=1
while [ "$i" -le "$n" ]; do
	if ! timeout 600 qemu-system-riscv64 -machine virt -m 512M -nographic -bios none \
		-kernel "$kernel" -append selftest >"$log" 2>&1; then
		fail=$((fail + 1))
		echo "boot $i: FAILED:"
		grep -a -E 'FAIL|panic|fatal' "$log" | head -5
	fi
	i=$((i + 1))
done
echo "selftest under load: $n boots with $busy busy loops on $(nproc) cores, $fail failed, $(($(date +%s) - start)) s"
[ "$fail" -eq 0 ]
