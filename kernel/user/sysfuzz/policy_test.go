package main

import (
	"math/rand/v2"
	"testing"

	"copslab/kernel/uabi"
)

// testFuzzer has fake memory regions at fixed addresses: tame only does
// arithmetic on them, it never dereferences.
func testFuzzer() *fuzzer {
	return &fuzzer{
		rng:     rand.New(rand.NewPCG(1, 2)),
		mem:     &memory{scratch: make([]byte, scratchSize), names: make([]byte, namesSize), arena: make([]byte, arenaSize)},
		firstFd: 5,
		errnos:  nil,
	}
}

func nr(t *testing.T, name string) uintptr {
	n, ok := uabi.SyscallNumber(name)
	if !ok {
		t.Fatalf("unknown %s", name)
	}
	return uintptr(n)
}

func TestPolicyDeniesDangerousCalls(t *testing.T) {
	f := testFuzzer()
	for _, name := range []string{"exit", "exit_group", "kill", "tgkill", "clone", "clone3",
		"execve", "rt_sigreturn", "futex", "nanosleep", "ppoll", "reboot", "mount", "unlinkat"} {
		var a [6]uintptr
		if f.tame(nr(t, name), &a) {
			t.Errorf("%s allowed", name)
		}
	}
	var a [6]uintptr
	if !f.tame(nr(t, "getpid"), &a) {
		t.Error("getpid denied")
	}
	denyQemuUser()
	if f.tame(nr(t, "sendto"), &a) {
		t.Error("sendto allowed with -qemu-user")
	}
}

func TestPolicyTamesArguments(t *testing.T) {
	f := testFuzzer()
	for i := 0; i < 2000; i++ {
		a := [6]uintptr{uintptr(i % 7), f.arg(), f.arg(), f.arg(), f.arg(), f.arg()}
		if !f.tame(nr(t, "write"), &a) {
			t.Fatal("write denied")
		}
		if a[0] < 3 || a[2] > pageSize {
			t.Fatalf("write(%d, _, %d): stdio or count not tamed", a[0], a[2])
		}
		a = [6]uintptr{f.arg(), f.arg(), f.arg(), f.arg(), f.arg(), f.arg()}
		f.tame(nr(t, "openat"), &a)
		names := addr(f.mem.names)
		if a[1] < names || a[1] >= names+namesSize {
			t.Fatalf("openat path %#x outside the names page", a[1])
		}
		if a[2]&uabi.O_NONBLOCK == 0 {
			t.Fatal("openat without O_NONBLOCK")
		}
		a = [6]uintptr{f.arg(), f.arg(), f.arg(), f.arg(), f.arg(), f.arg()}
		f.tame(nr(t, "mprotect"), &a)
		arena := addr(f.mem.arena)
		if a[0] < arena || a[0]+a[1] > arena+arenaSize || a[0]%pageSize != 0 {
			t.Fatalf("mprotect(%#x, %#x) outside the arena", a[0], a[1])
		}
		a = [6]uintptr{f.arg(), f.arg(), f.arg(), f.arg(), f.arg(), f.arg()}
		f.tame(nr(t, "mmap"), &a)
		if a[3]&(uabi.MAP_FIXED|uabi.MAP_FIXED_NOREPLACE|uabi.MAP_POPULATE) != 0 {
			t.Fatalf("mmap flags %#x keep FIXED/POPULATE", a[3])
		}
		a = [6]uintptr{f.arg(), f.arg(), f.arg(), f.arg(), f.arg(), f.arg()}
		f.tame(nr(t, "rt_sigaction"), &a)
		if a[1] != 0 {
			t.Fatal("rt_sigaction may install a handler")
		}
	}
	var a [6]uintptr
	if f.tame(nr(t, "munmap"), &a) {
		t.Error("munmap allowed with no fuzz mappings to unmap")
	}
	f.maps = []mapping{{0x7000000000, 3 * pageSize}}
	if !f.tame(nr(t, "munmap"), &a) || a[0] < 0x7000000000 || a[0] >= 0x7000003000 {
		t.Errorf("munmap not pointed at the fuzz mapping: %#x", a[0])
	}
}

func TestNumbersCoverTable(t *testing.T) {
	f := testFuzzer()
	seen := map[uintptr]bool{}
	for i := 0; i < 20000; i++ {
		seen[f.number()] = true
	}
	if len(seen) < 300 {
		t.Errorf("only %d distinct numbers in 20000 draws", len(seen))
	}
}
