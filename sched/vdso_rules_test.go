package sched

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// hotPath lists the functions that are compiled into the vDSO image and
// called by user processes (and the kernel, on its own Local): every
// operation on a process's Local. The vDSO image builder reads this list.
// TestVDSORules compiles the package for riscv64 and checks each one, and
// each of kernelPath, against the rules of
// /work/shared/notes/vdso-shared-code.md.
var hotPath = []string{
	"slotOf", "ProcOf", "LockTag", "tryLock", "spinLock", "unlock", "lowestBit", "queueOf",
	"(*Local).TryLock", "(*Local).SpinLock", "(*Local).Unlock", "(*Local).held",
	"(*Local).emit", "(*Local).put", "(*Local).push", "(*Local).unlink", "(*Local).popBest", "(*Local).freePush", "(*Local).freePop",
	"(*Local).lookup", "(*Local).Spawn", "(*Local).Fetch", "(*Local).leaveRunning",
	"(*Local).Yield", "(*Local).Block", "(*Local).Exit", "(*Local).Wake", "(*Local).Suspend",
	"(*Local).Resume", "(*Local).flip", "(*Local).SetPrio", "(*Local).Mark", "(*Local).StateOf",
	"(*Local).Current", "(*Local).Prio", "(*Local).Switch",
}

// kernelPath lists the kernel's per-decision functions on the Global and
// its defensive reader: not in the vDSO, but run by the kernel in trap
// context under the same rules (no stack growth, no runtime calls).
var kernelPath = []string{
	"(*Global).TryLock", "(*Global).SpinLock", "(*Global).Unlock", "(*Global).held",
	"(*Global).record", "(*Global).kproc", "(*Global).refresh", "uintrPrio", "(*Global).HighestProc", "(*Global).HighestProcMask",
	"(*Global).RunOn", "(*Global).Leave", "(*Global).SetUintr", "(*Global).SetLocalPrio", "(*Global).Sample", "(*Global).SampleSeq", "(*Local).check", "(*Global).Collect", "SplitSwitch",
}

var (
	textLine = regexp.MustCompile(`^copslab/sched\.(\S+) STEXT (.*)$`)
	symRef   = regexp.MustCompile(`([\w./*()·-]+)\(SB\)`)
	gReg     = regexp.MustCompile(`[\s,(]g[\s,)]|X27|X3\b|X4\b`)
)

// TestVDSORules: every hot-path function is nosplit, and its riscv64 code
// refers to no symbol outside the hot-path set (no runtime calls such as
// morestack or panicBounds, no globals, no .rodata) and never touches g
// (X27), gp (X3) or tp (X4).
func TestVDSORules(t *testing.T) {
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to compile the riscv64 listing:", err)
		}
	}
	cmd := exec.Command(goBin, "build", "-gcflags=copslab/sched=-S", ".")
	cmd.Env = append(cmd.Environ(), "GOARCH=riscv64", "GOOS=linux", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build for riscv64: %v\n%s", err, out)
	}
	all := append(append([]string(nil), hotPath...), kernelPath...)
	hot := map[string]bool{}
	for _, f := range all {
		hot["copslab/sched."+f] = true
	}
	bodies := splitFuncs(string(out))
	for _, f := range all {
		body, ok := bodies[f]
		if !ok {
			t.Errorf("%s: not in the compiler output (inlined everywhere or renamed?)", f)
			continue
		}
		if !strings.Contains(body.header, "nosplit") {
			t.Errorf("%s is not nosplit: %s", f, body.header)
		}
		for _, ln := range body.lines {
			if strings.Contains(ln, "FUNCDATA") || strings.Contains(ln, "PCDATA") || strings.Contains(ln, "\tTEXT\t") {
				continue
			}
			for _, m := range symRef.FindAllStringSubmatch(ln, -1) {
				if !hot[m[1]] {
					t.Errorf("%s refers to %s outside the hot path:\n%s", f, m[1], ln)
				}
			}
			if instr := instrPart(ln); gReg.MatchString(instr) {
				t.Errorf("%s touches g/gp/tp:\n%s", f, ln)
			}
		}
	}
}

type funcAsm struct {
	header string
	lines  []string
}

// splitFuncs cuts -S output into functions of package sched.
func splitFuncs(out string) map[string]*funcAsm {
	m := map[string]*funcAsm{}
	var cur *funcAsm
	for _, ln := range strings.Split(out, "\n") {
		if sm := textLine.FindStringSubmatch(ln); sm != nil {
			cur = &funcAsm{header: sm[2]}
			m[sm[1]] = cur
			continue
		}
		if !strings.HasPrefix(ln, "\t") {
			if ln != "" && !strings.HasPrefix(ln, " ") {
				cur = nil
			}
			continue
		}
		if cur != nil && strings.HasPrefix(ln, "\t0x") {
			cur.lines = append(cur.lines, ln)
		}
	}
	return m
}

// instrPart drops the "0x0000 00000 (file:line)" prefix of an -S line.
func instrPart(ln string) string {
	if i := strings.Index(ln, ")\t"); i >= 0 {
		return ln[i+2:]
	}
	return ln
}
