# copslab — the two commands the README promises are `make run` and `make test`.
# Everything else is a building block of those two.

GO       ?= go
export PATH := /usr/local/go/bin:$(PATH)
BOARD    ?= boards/qemu-virt.yaml
KERNEL   ?= out/kernel.elf
# User programs embedded into every kernel image: init starts sh on the console.
USERPROGS ?= $(addprefix kernel/user/,init sh hello gostress threads pipeping execer nilderef spin memhog sysfuzz switchbench webbench coyield coprio)
# Your own Go main packages to embed as well (directories or single .go files).
PROGS    ?=
GDBPORT  ?= 1234
# OPT=0: build the kernel and its programs without optimisation or inlining
# (-gcflags 'all=-N -l'): `make debug OPT=0` to step line by line in gdb.
OPT      ?= 1
# APPEND: the kernel command line for make qemu/debug, e.g. APPEND="run hello first"
APPEND   ?=
FUZZTIME ?= 10s

.PHONY: run test prereqs prereqs-base kernel qemu debug bench fuzz vet clean

## run: the main job: the workbench window on the kernel in QEMU (the
## sandbox when QEMU is missing, or with TARGET=sandbox; the window says
## which); without a display: the kernel's console in QEMU instead.
## APPEND sets the kernel command line (default: init and the shell).
TARGET ?= auto
APPEND ?=
run: prereqs
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		if [ "$(TARGET)" != sandbox ] && command -v qemu-system-riscv64 >/dev/null; then \
			echo "make run: building the kernel ($(KERNEL)) for the workbench…"; \
			$(MAKE) --no-print-directory kernel || exit 1; \
			echo "make run: booting it in QEMU and opening the workbench…"; \
		fi; \
		mkdir -p out && $(GO) build -o out/copslab ./workbench/cmd/copslab || exit 1; \
		out/copslab gui --target $(TARGET) --kernel $(KERNEL) --board $(BOARD) --append "$(APPEND)"; \
	else \
		echo "make run: no display (DISPLAY/WAYLAND_DISPLAY unset): booting the kernel console instead"; \
		$(MAKE) --no-print-directory qemu; \
	fi

## test: every test: host unit tests, QEMU boots, gdb and GUI tests, short fuzzing
test: prereqs
	$(GO) vet ./...
	$(GO) test -timeout 40m -count=1 ./...
	$(MAKE) fuzz

prereqs:
	@scripts/prereqs.sh all

prereqs-base:
	@scripts/prereqs.sh base

## kernel: build $(KERNEL) for the board of profile $(BOARD) with the stock toolchain
kernel:
	@mkdir -p out
	$(GO) run ./kernel/cmd/mkkernel -o $(KERNEL) -board $(BOARD) $(if $(filter 0,$(OPT)),-debug) -progs "$(strip $(USERPROGS) $(PROGS))"

## qemu: boot the kernel with its console (board profile $(BOARD))
qemu: prereqs-base kernel
	$(GO) run ./boards/cmd/qemuboot -board $(BOARD) -kernel $(KERNEL) $(if $(APPEND),-append "$(APPEND)")

## debug: boot halted with a gdb stub on 127.0.0.1:$(GDBPORT); prints the gdb command
## (OPT=0: an unoptimised kernel, locals visible and `next` line by line)
debug: prereqs-base kernel
	$(GO) run ./boards/cmd/qemuboot -board $(BOARD) -kernel $(KERNEL) -debug -gdb-port $(GDBPORT) $(if $(APPEND),-append "$(APPEND)")

## bench: the paper's experiments on the kernel (CSV, PNG and results.md in
## out/bench), then every Go benchmark (host and guest); BENCH=short: the
## experiments at a few points each, minutes, and no Go benchmarks
BENCH ?= full
bench: prereqs
	$(GO) run ./workbench/cmd/copslab bench --mode $(BENCH) --out out/bench
	@if [ "$(BENCH)" = full ]; then echo "$(GO) test -run '^$$' -bench . -benchmem -timeout 40m ./..."; \
		$(GO) test -run '^$$' -bench . -benchmem -timeout 40m ./...; fi

## fuzz: each fuzz target for $(FUZZTIME)
fuzz:
	@scripts/fuzz.sh $(FUZZTIME)

clean:
	rm -rf out
