//go:build !ci

package main

import (
	"path/filepath"
	"testing"

	"copslab/sched"
	"copslab/workbench/internal/testkernel"
	"copslab/workbench/record"
)

// TestRecordKernel: copslab record --target qemu records a kernel run
// headless to its power-off, and copslab export turns it into a trace.
func TestRecordKernel(t *testing.T) {
	testkernel.Board(t)
	kernel := testkernel.Build(t)
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	rec := filepath.Join(dir, "k.rec")
	if err := runRecord([]string{"--target", "qemu", "--kernel", kernel, "--board", testkernel.BoardPath(),
		"--append", "run pipeping -n 20", "-o", rec}); err != nil {
		t.Fatal(err)
	}
	meta, m, err := record.LoadFile(rec)
	if err != nil {
		t.Fatal(err)
	}
	procs := map[uint16]bool{}
	for _, e := range m.Events() {
		if e.Cause == sched.CauseSpawn {
			procs[e.Proc] = true
		}
	}
	// pipeping starts its child with os/exec: two processes, all threads exited.
	if meta.Target != "qemu" || len(procs) < 2 || m.Lost() != 0 {
		t.Fatalf("meta %+v, %d events, processes %v, %d lost", meta, m.Len(), procs, m.Lost())
	}
	for _, c := range m.Now().Cos {
		if c.State != sched.Exited {
			t.Errorf("tid %d %v at the end of the recording", c.ID, c.State)
		}
	}
	if err := runExport([]string{rec, "--perfetto", filepath.Join(dir, "k.json")}); err != nil {
		t.Fatal(err)
	}
}
