package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// qemuOf waits up to wait for every QEMU process whose command line
// names kernel to end, and returns the pids of those still running.
func qemuOf(kernel string, wait time.Duration) []int {
	deadline := time.Now().Add(wait)
	for {
		pids := qemuPids(kernel)
		if len(pids) == 0 || time.Now().After(deadline) {
			return pids
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// qemuPids lists the running (not zombie) qemu-system processes whose
// command line names kernel.
func qemuPids(kernel string) []int {
	var pids []int
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		cmdline, err := os.ReadFile(filepath.Join(d, "cmdline"))
		if err != nil {
			continue
		}
		args := strings.Split(string(cmdline), "\x00")
		if !strings.Contains(filepath.Base(args[0]), "qemu-system") || !strings.Contains(string(cmdline), kernel) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(d, "stat"))
		if i := strings.LastIndexByte(string(stat), ')'); err != nil || i < 0 || strings.HasPrefix(string(stat[i+1:]), " Z") {
			continue
		}
		if pid, err := strconv.Atoi(filepath.Base(d)); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// qemuChildren lists the qemu-system processes whose parent is pid.
func qemuChildren(pid int) []int {
	var pids []int
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		stat, err := os.ReadFile(filepath.Join(d, "stat"))
		i := strings.LastIndexByte(string(stat), ')')
		if err != nil || i < 0 || !strings.Contains(string(stat[:i]), "(qemu-system") {
			continue
		}
		// After the command: state, ppid, …
		if f := strings.Fields(string(stat[i+1:])); len(f) > 1 && f[1] == strconv.Itoa(pid) && f[0] != "Z" {
			if p, err := strconv.Atoi(filepath.Base(d)); err == nil {
				pids = append(pids, p)
			}
		}
	}
	return pids
}

// running says whether pid is a live process (not a zombie).
func running(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	i := strings.LastIndexByte(string(stat), ')')
	return err == nil && i >= 0 && !strings.HasPrefix(string(stat[i+1:]), " Z")
}
