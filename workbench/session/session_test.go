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
	if err != nil || b.Names == nil || b.Snap != nil {
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
	// Every instant of the run must show each ready coroutine exactly once.
	for tm := m.Start(); tm <= m.End(); tm += max(1, (m.End()-m.Start())/50) {
		seen := map[uint32]bool{}
		for _, p := range m.At(tm).Procs {
			for _, q := range p.Queues {
				for _, id := range q {
					if seen[id] {
						t.Fatalf("At(%d): coroutine %d queued twice: %+v", tm, id, p.Queues)
					}
					seen[id] = true
				}
			}
		}
	}
	if m.Now().Co(m.Lanes()[0].ID).Name == "" {
		t.Fatal("names not learned")
	}
	if _, err := d.Restart(); err != nil || d.Steps() != 0 {
		t.Fatalf("restart: %v, steps %d", err, d.Steps())
	}
	b, _ = d.RunUntil(^uint64(0), 1<<20)
	if !b.Done || len(b.Events) != m.Len() {
		t.Fatalf("run to end after restart: done %v, %d events, first run %d", b.Done, len(b.Events), m.Len())
	}
}
