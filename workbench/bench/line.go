package bench

import (
	"fmt"
	"strings"
)

// Record is one BENCH line: an experiment's name and its fields in the
// order printed.
type Record struct {
	Exp    string
	Keys   []string
	Values []string
}

// Get returns the value of key, or "".
func (r Record) Get(key string) string {
	for i, k := range r.Keys {
		if k == key {
			return r.Values[i]
		}
	}
	return ""
}

// ParseLine reads one BENCH line ("BENCH exp k=v k=v…"); ok is false for
// any other line. A BENCH line that breaks the format is an error.
func ParseLine(line string) (r Record, ok bool, err error) {
	line = strings.TrimRight(line, "\r\n")
	rest, ok := strings.CutPrefix(line, "BENCH ")
	if !ok {
		return Record{}, false, nil
	}
	f := strings.Split(rest, " ")
	if f[0] == "" || strings.Contains(f[0], "=") {
		return Record{}, true, fmt.Errorf("BENCH line without an experiment name: %q", line)
	}
	r.Exp = f[0]
	for _, kv := range f[1:] {
		k, v, found := strings.Cut(kv, "=")
		if !found || k == "" {
			return Record{}, true, fmt.Errorf("BENCH line field %q is not key=value: %q", kv, line)
		}
		r.Keys = append(r.Keys, k)
		r.Values = append(r.Values, v)
	}
	return r, true, nil
}

// ParseConsole returns every BENCH line of a console's output.
func ParseConsole(out string) ([]Record, error) {
	var rs []Record
	for _, l := range strings.Split(out, "\n") {
		r, ok, err := ParseLine(l)
		if err != nil {
			return nil, err
		}
		if ok {
			rs = append(rs, r)
		}
	}
	return rs, nil
}
