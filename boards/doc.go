// Package boards loads board profiles: small YAML files (boards/<name>.yaml)
// that say how to start an emulated or real board for the copslab kernel —
// which QEMU binary and machine, how much memory, how the kernel image is
// passed — and which gdb attaches to it.
//
// The QEMU command line lives in the profile, not in code: Load reads and
// checks a profile (github.com/spf13/viper v1.21.0, strict: unknown keys are
// errors), QEMUArgs turns it into an argument vector for one run, and
// GDBCommand gives the gdb-multiarch command that attaches with symbols.
// Package copslab/boards/qemu starts and drives the QEMU process; the
// command boards/cmd/qemuboot is what `make run/qemu/debug` call.
//
// Profiles target QEMU 7.2 (Debian 12) and gdb-multiarch 13.1.
package boards
