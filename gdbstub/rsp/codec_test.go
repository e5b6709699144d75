package rsp

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestChecksum(t *testing.T) {
	tests := []struct {
		in   string
		want byte
	}{
		{"", 0},
		{"OK", 0x9a},
		{"g", 0x67},
		{"qSupported", 0x37},
		{strings.Repeat("\xff", 2), 0xfe},
	}
	for _, tt := range tests {
		if got := Checksum([]byte(tt.in)); got != tt.want {
			t.Errorf("Checksum(%q) = %#x, want %#x", tt.in, got, tt.want)
		}
	}
}

func TestFrame(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "$#00"},
		{"OK", "$OK#9a"},
		{"m80000000,4", "$m80000000,4#" + hex2(Checksum([]byte("m80000000,4")))},
	}
	for _, tt := range tests {
		if got := string(Frame([]byte(tt.in))); got != tt.want {
			t.Errorf("Frame(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := string(FrameNotification([]byte("Stop:T05"))); !strings.HasPrefix(got, "%Stop:T05#") {
		t.Errorf("FrameNotification = %q", got)
	}
}

func hex2(b byte) string { return string(appendHexByte(nil, b)) }

func TestEscapeRoundTrip(t *testing.T) {
	tests := []struct{ in, wire string }{
		{"abc", "abc"},
		{"#", "}\x03"},
		{"$", "}\x04"},
		{"}", "}]"},
		{"*", "}\x0a"},
		{"a#b$c}d*e", "a}\x03b}\x04c}]d}\x0ae"},
		{"\x00\xff", "\x00\xff"},
	}
	for _, tt := range tests {
		wire := AppendEscaped(nil, []byte(tt.in))
		if string(wire) != tt.wire {
			t.Errorf("AppendEscaped(%q) = %q, want %q", tt.in, wire, tt.wire)
		}
		back, err := Unescape(wire)
		if err != nil || string(back) != tt.in {
			t.Errorf("Unescape(%q) = %q, %v; want %q", wire, back, err, tt.in)
		}
	}
	if _, err := Unescape([]byte("ab}")); !errors.Is(err, ErrTrailingEscape) {
		t.Errorf("Unescape trailing escape: err = %v", err)
	}
}

func TestExpandRLE(t *testing.T) {
	tests := []struct {
		in, want string
		err      bool
	}{
		{"0* ", "0000", false},        // ' ' = 32 -> 3 more
		{"ab*\"c", "abbbbbbc", false}, // '"' = 34 -> 5 more
		{"x*\x1d", "x", false},        // count 0
		{"0* 1* ", "00001111", false},
		{"*a", "", true},     // nothing to repeat
		{"a*", "", true},     // missing count
		{"a*\x10", "", true}, // count below bias
		{"a*\xff", "", true}, // not printable
		{"plain", "plain", false},
	}
	for _, tt := range tests {
		got, err := ExpandRLE([]byte(tt.in))
		if (err != nil) != tt.err {
			t.Errorf("ExpandRLE(%q) err = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && string(got) != tt.want {
			t.Errorf("ExpandRLE(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseFrame(t *testing.T) {
	p, note, err := ParseFrame([]byte("$OK#9a"))
	if err != nil || note || string(p) != "OK" {
		t.Errorf("ParseFrame($OK#9a) = %q, %v, %v", p, note, err)
	}
	_, _, err = ParseFrame([]byte("$OK#00"))
	var ce *ChecksumError
	if !errors.As(err, &ce) || ce.Got != 0 || ce.Sum != 0x9a {
		t.Errorf("bad checksum: err = %v", err)
	}
	for _, bad := range []string{"", "OK#9a", "$OK9a", "$OK#zz", "#"} {
		if _, _, err := ParseFrame([]byte(bad)); err == nil {
			t.Errorf("ParseFrame(%q) succeeded", bad)
		}
	}
}

func TestDecoder(t *testing.T) {
	in := "+noise$OK#9a-\x03%Stop:T05#" + hex2(Checksum([]byte("Stop:T05"))) + "$OK#00$g#67"
	d := NewDecoder(strings.NewReader(in))
	want := []struct {
		kind    Kind
		payload string
		err     bool
	}{
		{KindAck, "", false},
		{KindPacket, "OK", false},
		{KindNak, "", false},
		{KindInterrupt, "", false},
		{KindNotification, "Stop:T05", false},
		{0, "", true}, // bad checksum, stream stays in sync
		{KindPacket, "g", false},
	}
	for i, w := range want {
		it, err := d.Next()
		if w.err {
			var ce *ChecksumError
			if !errors.As(err, &ce) {
				t.Fatalf("item %d: err = %v, want checksum error", i, err)
			}
			continue
		}
		if err != nil || it.Kind != w.kind || string(it.Payload) != w.payload {
			t.Fatalf("item %d = %v %q, %v; want %v %q", i, it.Kind, it.Payload, err, w.kind, w.payload)
		}
	}
	if _, err := d.Next(); err != io.EOF {
		t.Fatalf("at end: err = %v, want EOF", err)
	}
}

func TestDecoderRestartsOnDollar(t *testing.T) {
	d := NewDecoder(strings.NewReader("$broken$OK#9a"))
	it, err := d.Next()
	if err != nil || it.Kind != KindPacket || string(it.Payload) != "OK" {
		t.Fatalf("got %v %q, %v", it.Kind, it.Payload, err)
	}
	if string(d.Consumed()) != "$broken$OK#9a" {
		t.Fatalf("consumed %q", d.Consumed())
	}
}

func TestDecoderTruncated(t *testing.T) {
	for _, in := range []string{"$OK", "$OK#9", "$"} {
		d := NewDecoder(strings.NewReader(in))
		if _, err := d.Next(); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%q: err = %v, want unexpected EOF", in, err)
		}
	}
}

func TestDecoderTooLong(t *testing.T) {
	in := "$" + strings.Repeat("a", MaxPayload+10) + "#00$OK#9a"
	d := NewDecoder(strings.NewReader(in))
	if _, err := d.Next(); !errors.Is(err, ErrTooLong) {
		t.Fatalf("err = %v, want ErrTooLong", err)
	}
	it, err := d.Next()
	if err != nil || string(it.Payload) != "OK" {
		t.Fatalf("after long frame: %q, %v", it.Payload, err)
	}
}

func TestShorten(t *testing.T) {
	if got := Shorten([]byte("ab\x03c"), 10); got != `ab\x03c` {
		t.Errorf("Shorten = %q", got)
	}
	if got := Shorten(bytes.Repeat([]byte("x"), 20), 5); got != "xxxxx...(+15)" {
		t.Errorf("Shorten cut = %q", got)
	}
}

// FuzzDecoder feeds arbitrary bytes through the decoder and the payload
// decoders: they must return errors, never panic or loop.
func FuzzDecoder(f *testing.F) {
	for _, s := range []string{"$OK#9a", "+$g#67", "$a*\"#00", "%Stop:T05#00", "$}#00", "\x03$", "$x*\xff#00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d := NewDecoder(bytes.NewReader(data))
		for i := 0; i <= len(data); i++ {
			it, err := d.Next()
			var ce *ChecksumError
			if errors.As(err, &ce) || errors.Is(err, ErrTooLong) {
				continue
			}
			if err != nil {
				return
			}
			if x, err := ExpandRLE(it.Payload); err == nil {
				_, _ = Unescape(x)
			}
			if it.Kind == KindPacket {
				if p, _, err := ParseFrame(it.Raw[bytes.LastIndexByte(it.Raw, '$'):]); err != nil || !bytes.Equal(p, it.Payload) {
					t.Fatalf("ParseFrame disagrees with Decoder on %q: %q %v", it.Raw, p, err)
				}
			}
		}
	})
}

// FuzzEscape checks that escaping round-trips for any data.
func FuzzEscape(f *testing.F) {
	f.Add([]byte("a#$}*b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		wire := AppendEscaped(nil, data)
		for _, b := range wire {
			if b == '#' || b == '$' || b == '*' {
				t.Fatalf("unescaped framing byte in %q", wire)
			}
		}
		back, err := Unescape(wire)
		if err != nil || !bytes.Equal(back, data) {
			t.Fatalf("round trip %q -> %q -> %q, %v", data, wire, back, err)
		}
	})
}

func TestTextLog(t *testing.T) {
	var buf bytes.Buffer
	log := TextLog(&buf, 8)
	c := NewConn(struct {
		io.Reader
		io.Writer
	}{strings.NewReader("+$OK#9a"), io.Discard}, log)
	c.WritePacket([]byte("m80000000,8"))
	c.Read()
	c.Read()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 3 || !strings.HasSuffix(lines[0], "-> $m800000...(+7)") ||
		!strings.HasSuffix(lines[1], "<- +") || !strings.HasSuffix(lines[2], "<- $OK#9a") {
		t.Fatalf("log:\n%s", buf.String())
	}
}
