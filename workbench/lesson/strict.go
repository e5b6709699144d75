package lesson

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// The step blocks are decoded by walking yaml.Node trees into structs by
// their yaml tags, so that every unknown key and every bad value is an
// error with its own line (yaml.v3's Node.Decode has no strict mode and
// reports lines of the block, not of the file). Line numbers are shifted
// to the file before decoding (shiftLines).

// lineErr is an error at a line of the lesson file.
type lineErr struct {
	line int
	msg  string
}

func (e *lineErr) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func errAt(line int, f string, a ...any) error { return &lineErr{line, fmt.Sprintf(f, a...)} }

// shiftLines adds off to the line of every node under n.
func shiftLines(n *yaml.Node, off int) {
	n.Line += off
	for _, c := range n.Content {
		shiftLines(c, off)
	}
}

var lineField = reflect.TypeOf(0)

// decode fills dst (a pointer) from n, strictly: unknown keys, keys given
// twice and values of the wrong kind are errors at their line. A struct
// field named Line of type int receives the node's line.
func decode(n *yaml.Node, dst any) error {
	return decodeValue(n, reflect.ValueOf(dst).Elem())
}

func decodeValue(n *yaml.Node, v reflect.Value) error {
	if n.Kind == yaml.AliasNode {
		return errAt(n.Line, "YAML aliases are not allowed in lessons")
	}
	if u, ok := v.Addr().Interface().(yaml.Unmarshaler); ok {
		return u.UnmarshalYAML(n)
	}
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		return decodeValue(n, v.Elem())
	case reflect.Struct:
		return decodeStruct(n, v)
	case reflect.Slice:
		if n.Kind == yaml.ScalarNode && v.Type().Elem().Kind() == reflect.String && n.Value != "" {
			v.Set(reflect.ValueOf([]string{n.Value})) // a single string for a list of one
			return nil
		}
		if n.Kind != yaml.SequenceNode {
			return errAt(n.Line, "expected a list")
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, c := range n.Content {
			if err := decodeValue(c, s.Index(i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	case reflect.String:
		if n.Kind == yaml.MappingNode {
			return errAt(n.Line, "expected text, got a mapping (text with \": \" in it must be quoted)")
		}
		if n.Kind != yaml.ScalarNode {
			return errAt(n.Line, "expected text")
		}
		v.SetString(n.Value)
		return nil
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			return errAt(n.Line, "expected true or false, got %q", n.Value)
		}
		v.SetBool(b)
		return nil
	case reflect.Int:
		x, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || err != nil {
			return errAt(n.Line, "expected a whole number, got %q", n.Value)
		}
		v.SetInt(int64(x))
		return nil
	case reflect.Float64:
		x, err := strconv.ParseFloat(n.Value, 64)
		if n.Kind != yaml.ScalarNode || err != nil {
			return errAt(n.Line, "expected a number, got %q", n.Value)
		}
		v.SetFloat(x)
		return nil
	}
	return errAt(n.Line, "cannot decode into %s", v.Type())
}

func decodeStruct(n *yaml.Node, v reflect.Value) error {
	if n.Kind != yaml.MappingNode {
		return errAt(n.Line, "expected a mapping (key: value)")
	}
	t := v.Type()
	fields := map[string]int{}
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Name == "Line" && f.Type == lineField {
			v.Field(i).SetInt(int64(n.Line))
			continue
		}
		if tag := f.Tag.Get("yaml"); tag != "" && tag != "-" {
			fields[tag] = i
			keys = append(keys, tag)
		}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		fi, ok := fields[k.Value]
		if !ok {
			return errAt(k.Line, "unknown key %q (known: %s)", k.Value, strings.Join(keys, ", "))
		}
		if seen[k.Value] {
			return errAt(k.Line, "key %q given twice", k.Value)
		}
		seen[k.Value] = true
		if err := decodeValue(val, v.Field(fi)); err != nil {
			return err
		}
	}
	return nil
}

// Dur is a duration of target time in nanoseconds, written "50us",
// "1.5ms" or a plain number of nanoseconds.
type Dur uint64

func (d *Dur) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return errAt(n.Line, "expected a duration such as 50us or 2ms")
	}
	if x, err := strconv.ParseUint(n.Value, 10, 64); err == nil {
		*d = Dur(x)
		return nil
	}
	x, err := time.ParseDuration(n.Value)
	if err != nil || x < 0 {
		return errAt(n.Line, "expected a duration such as 50us or 2ms, got %q", n.Value)
	}
	*d = Dur(x)
	return nil
}

func (d Dur) String() string { return time.Duration(d).String() }
