package session_test

import (
	"testing"

	"copslab/workbench/model"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

func TestDriver(t *testing.T) {
	tg, err := target.OpenSandbox("tiny")
	if err != nil {
		t.Fatal(err)
	}
	d := session.New(tg)
	d.SnapEvery = 3
	m := model.New()
	b, err := d.Start()
	if err != nil || b.Snap == nil {
		t.Fatalf("start: %v %v", b, err)
	}
	b.ApplyTo(m)
	snaps := 0
	for !b.Done {
		if b, err = d.Step(1); err != nil {
			t.Fatal(err)
		}
		if b.Snap != nil {
			snaps++
		}
		b.ApplyTo(m)
	}
	if d.Steps() < 5 || snaps < d.Steps()/3 || m.Len() == 0 {
		t.Fatalf("steps %d snaps %d events %d", d.Steps(), snaps, m.Len())
	}
	if _, err := d.Restart(); err != nil || d.Steps() != 0 {
		t.Fatalf("restart: %v, steps %d", err, d.Steps())
	}
	b, _ = d.RunUntil(^uint64(0), 1<<20)
	if !b.Done || len(b.Events) != m.Len() {
		t.Fatalf("run to end after restart: done %v, %d events, first run %d", b.Done, len(b.Events), m.Len())
	}
}
