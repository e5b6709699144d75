#!/usr/bin/env bash
# fuzz.sh runs every Fuzz* target in the module for a short time each
# (go test -fuzz takes one target per run).
#
# Go 1.26's fuzz coordinator can report "context deadline exceeded" when a
# duration-based -fuzztime ends while a worker is mid-input, without any
# failing input (go.dev/issue/75804, fixed in Go 1.27). A run that fails
# that way and writes no new input under testdata/fuzz/ is reported and
# not counted as a failure; any other failure, or a written crasher, is.
set -euo pipefail
t=${1:-10s}
count() { if [ -d "$1" ]; then find "$1" -type f | wc -l; else echo 0; fi; }
n=0
failed=0
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for f in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "fuzz: $pkg $f ($t)"
		corpus="$dir/testdata/fuzz/$f"
		before=$(count "$corpus")
		log=$(mktemp)
		if go test -run '^$' -fuzz "^$f\$" -fuzztime "$t" "$pkg" 2>&1 | tee "$log"; then
			:
		else
			after=$(count "$corpus")
			if [ "$after" = "$before" ] && grep -q '^    context deadline exceeded$' "$log"; then
				echo "fuzz: $f: Go's fuzztime deadline race (go.dev/issue/75804), no failing input written: not a failure"
			else
				echo "fuzz: $f FAILED (new inputs in $corpus: $((after - before)))"
				failed=$((failed + 1))
			fi
		fi
		rm -f "$log"
		n=$((n + 1))
	done
done
echo "fuzz: $n targets run, $failed failed"
[ "$failed" = 0 ]
