package boards

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Errors in a profile name the file and the line, as a compiler does
// ("boards/x.yaml:7: qemu.cpus = 0, want 1..512"), so an editor can jump
// there. Viper reads and decodes the profile but forgets where keys were;
// keyLines re-reads the same bytes as a YAML node tree to find them.

// ProfileError is one problem in a profile at a line (1-based).
type ProfileError struct {
	Path string
	Line int
	Msg  string
}

func (e *ProfileError) Error() string {
	return e.Path + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
}

// keyLines maps every key of the document, in viper's dotted lower-case
// form ("qemu.memory"), to the line of the key. The empty key is the first
// line of the document.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{"": 1}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return lines
	}
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		if n.Kind != yaml.MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := strings.ToLower(n.Content[i].Value)
			if prefix != "" {
				k = prefix + "." + k
			}
			if _, dup := lines[k]; !dup {
				lines[k] = n.Content[i].Line
			}
			walk(k, n.Content[i+1])
		}
	}
	walk("", doc.Content[0])
	return lines
}

// lineOf returns the line of key, or of its nearest enclosing section
// that exists (a missing key is reported where its section starts).
func lineOf(lines map[string]int, key string) int {
	for {
		if l, ok := lines[key]; ok {
			return l
		}
		i := strings.LastIndexByte(key, '.')
		if i < 0 {
			return lines[""]
		}
		key = key[:i]
	}
}

// yamlLine finds "line N" in a YAML parser message.
var yamlLine = regexp.MustCompile(`line (\d+)`)

// quotedKey finds the first 'key.path' a decoder message quotes.
var quotedKey = regexp.MustCompile(`'([A-Za-z0-9_.\[\]]+)'`)

// syntaxError turns a YAML parse error into a ProfileError at its line.
func syntaxError(path string, err error) error {
	msg := strings.Join(strings.Fields(err.Error()), " ") // YAML lists several problems on several lines
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	return &ProfileError{Path: path, Line: line, Msg: msg}
}

// keyError is a problem with one key.
type keyError struct {
	key string
	msg string
}

func (e *keyError) Error() string { return e.msg }

// badKey makes a keyError whose message starts with the key.
func badKey(key, format string, a ...any) error {
	return &keyError{key: key, msg: key + ": " + fmt.Sprintf(format, a...)}
}

// locate turns errs (keyErrors, decoder errors quoting a key, or anything
// else) into ProfileErrors for path, one per line of the result.
func locate(path string, lines map[string]int, errs ...error) error {
	var out []error
	for _, err := range errs {
		var ke *keyError
		switch {
		case errors.As(err, &ke):
			out = append(out, &ProfileError{path, lineOf(lines, ke.key), ke.msg})
		default:
			msg := strings.Join(strings.Fields(err.Error()), " ")
			key := ""
			if m := quotedKey.FindStringSubmatch(msg); m != nil {
				key = strings.ToLower(m[1])
			}
			out = append(out, &ProfileError{path, lineOf(lines, key), msg})
		}
	}
	return errors.Join(out...)
}
