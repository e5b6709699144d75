package client

import (
	"bytes"
	"testing"
)

func TestParseStopReply(t *testing.T) {
	tests := []struct {
		in     string
		check  func(StopReply) bool
		errors bool
	}{
		{"S05", func(r StopReply) bool { return r.Kind == 'S' && r.Signal == 5 }, false},
		{"T05thread:01;", func(r StopReply) bool { return r.Signal == 5 && r.Thread == "01" }, false},
		{"T05thread:p1.2;core:3;", func(r StopReply) bool { return r.Thread == "p1.2" && r.Core == 3 }, false},
		{"T05watch:802f62a8;thread:1;", func(r StopReply) bool { return r.Reason == "watch" && r.Addr == 0x802f62a8 }, false},
		{"T05rwatch:10;", func(r StopReply) bool { return r.Reason == "rwatch" && r.Addr == 0x10 }, false},
		{"T05awatch:10;", func(r StopReply) bool { return r.Reason == "awatch" }, false},
		{"T05swbreak:;", func(r StopReply) bool { return r.Reason == "swbreak" }, false},
		{"T05hwbreak:;", func(r StopReply) bool { return r.Reason == "hwbreak" }, false},
		{"T0520:2800000000000000;0a:xxxxxxxxxxxxxxxx;", func(r StopReply) bool {
			return len(r.Regs) == 2 && r.Regs[0x20][0] == 0x28 && len(r.Regs[10]) == 8
		}, false},
		{"T05fancy:new;", func(r StopReply) bool { return len(r.Fields) == 1 && r.Fields[0].Name == "fancy" }, false},
		{"W00", func(r StopReply) bool { return r.Kind == 'W' && r.ExitCode == 0 }, false},
		{"W01;process:42", func(r StopReply) bool { return r.ExitCode == 1 && r.Process == "42" }, false},
		{"X09", func(r StopReply) bool { return r.Kind == 'X' && r.Signal == 9 }, false},
		{"O48690a", func(r StopReply) bool { return string(r.Output) == "Hi\n" }, false},
		{"N", func(r StopReply) bool { return r.Kind == 'N' }, false},
		{"w00;p1.2", func(r StopReply) bool { return r.Thread == "p1.2" }, false},
		{"", nil, true},
		{"T", nil, true},
		{"T5", nil, true},
		{"Tzz", nil, true},
		{"S05x", nil, true},
		{"T05watch:zz;", nil, true},
		{"T05nocolon;", nil, true},
		{"T0520:123;", nil, true},
		{"W01;pid:1", nil, true},
		{"Ozz", nil, true},
		{"Q05", nil, true},
		{"w00", nil, true},
	}
	for _, tt := range tests {
		r, err := ParseStopReply([]byte(tt.in))
		if (err != nil) != tt.errors {
			t.Errorf("%q: err = %v", tt.in, err)
			continue
		}
		if err == nil && !tt.check(r) {
			t.Errorf("%q: parsed %+v", tt.in, r)
		}
	}
}

func TestParseFeatures(t *testing.T) {
	m := parseFeatures("PacketSize=1000;qXfer:features:read+;multiprocess-;vContSupported+;odd")
	want := map[string]string{"PacketSize": "1000", "qXfer:features:read": "+", "multiprocess": "-",
		"vContSupported": "+", "odd": "+"}
	for k, v := range want {
		if m[k] != v {
			t.Errorf("%s = %q, want %q", k, m[k], v)
		}
	}
}

// FuzzStopReply: any bytes give a reply or an error, never a panic, and a
// successful parse keeps the raw text.
func FuzzStopReply(f *testing.F) {
	for _, s := range []string{"T05thread:01;", "S05", "W00;process:1", "O4142", "T05watch:10;20:00;", "w01;1"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		r, err := ParseStopReply(p)
		if err == nil && !bytes.Equal([]byte(r.Raw), p) {
			t.Fatalf("Raw %q != input %q", r.Raw, p)
		}
	})
}
