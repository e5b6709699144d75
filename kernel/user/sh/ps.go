package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// procRoot is where ps reads process and thread state. The copslab kernel
// will provide the same /proc/PID/task/TID/stat format; until it does, ps
// says it is not supported.
var procRoot = "/proc"

// ps prints one line per thread: PID TID STATE PRIO NAME, from
// /proc/PID/task/TID/stat (proc(5): field 3 state, 18 priority).
func ps(out io.Writer) int {
	pids, err := numericDirs(procRoot)
	if err != nil || len(pids) == 0 {
		fmt.Fprintln(out, "ps: not supported (no /proc)")
		return 1
	}
	fmt.Fprintln(out, "  PID   TID STATE PRIO NAME")
	for _, pid := range pids {
		tids, err := numericDirs(filepath.Join(procRoot, strconv.Itoa(pid), "task"))
		if err != nil {
			continue // exited meanwhile
		}
		for _, tid := range tids {
			name, state, prio, err := readStat(filepath.Join(procRoot, strconv.Itoa(pid), "task", strconv.Itoa(tid), "stat"))
			if err != nil {
				continue
			}
			fmt.Fprintf(out, "%5d %5d %5s %4s %s\n", pid, tid, state, prio, name)
		}
	}
	return 0
}

func numericDirs(dir string) ([]int, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var ids []int
	for _, e := range ents {
		if n, err := strconv.Atoi(e.Name()); err == nil {
			ids = append(ids, n)
		}
	}
	sort.Ints(ids)
	return ids, nil
}

// readStat parses "pid (name) S ppid ... priority ..." — the name may hold
// blanks and parentheses, so fields are counted after the last ')'.
func readStat(path string) (name, state, prio string, err error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", "", "", err
	}
	s := string(b)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", "", "", fmt.Errorf("%s: malformed", path)
	}
	rest := strings.Fields(s[end+1:])
	if len(rest) < 16 { // state is field 3, priority field 18
		return "", "", "", fmt.Errorf("%s: short", path)
	}
	return s[open+1 : end], rest[0], rest[15], nil
}
