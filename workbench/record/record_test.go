package record_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"copslab/workbench/model"
	"copslab/workbench/model/modeltest"
	"copslab/workbench/record"
)

func sample(t testing.TB) ([]byte, *model.Model) {
	evs := modeltest.Gen{Procs: 3, Cos: 4, Harts: 2, Seed: 1}.Events(10000)
	live := model.New()
	var buf bytes.Buffer
	w, err := record.NewWriter(&buf, record.Meta{Target: "synthetic", Scenario: "gen"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(evs); i += 3000 {
		chunk := evs[i:min(i+3000, len(evs))]
		live.Add(chunk...)
		if err := w.Events(chunk); err != nil {
			t.Fatal(err)
		}
		if err := w.Snapshot(live.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), live
}

func TestRoundTrip(t *testing.T) {
	data, live := sample(t)
	meta, m, err := record.Load(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if meta.Target != "synthetic" || meta.Scenario != "gen" {
		t.Fatalf("meta %+v", meta)
	}
	if !reflect.DeepEqual(m.Events(), live.Events()) {
		t.Fatal("events differ after reload")
	}
	for _, tm := range []uint64{live.Start(), (live.Start() + live.End()) / 2, live.End()} {
		if a, b := m.At(tm), live.At(tm); !reflect.DeepEqual(a, b) {
			t.Fatalf("At(%d) differs:\n%+v\n%+v", tm, a, b)
		}
	}
}

func TestCorruptFiles(t *testing.T) {
	data, _ := sample(t)
	flip := bytes.Clone(data)
	flip[len(flip)/2] ^= 0x40
	badVer := bytes.Clone(data)
	badVer[8] = 9
	cases := map[string]struct {
		b    []byte
		want string
	}{
		"empty":     {nil, "truncated in header"},
		"magic":     {[]byte("hello world, not a recording"), "bad magic"},
		"version":   {badVer, "format version 9"},
		"flipped":   {flip, "checksum mismatch"},
		"truncated": {data[:len(data)-100], "truncated"},
		"no end":    {data[:len(data)-9-len(`{"events":10003,"end":0}`)-12], "truncated"},
	}
	for name, c := range cases {
		_, _, err := record.Load(bytes.NewReader(c.b))
		if err == nil || !errors.Is(err, record.ErrFormat) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
}

func FuzzLoad(f *testing.F) {
	data, _ := sample(f)
	f.Add(data[:2000])
	f.Add(data[:100])
	f.Fuzz(func(t *testing.T, b []byte) {
		_, m, err := record.Load(bytes.NewReader(b))
		if err == nil {
			m.At(m.End() / 2) // a file that loads must be usable
		}
	})
}
