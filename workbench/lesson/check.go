package lesson

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"copslab/sched"
	"copslab/workbench/model"
)

// Check is one condition on the model; exactly one field is set.
type Check struct {
	Line       int
	State      *StateCheck   `yaml:"state"`
	Prio       *PrioCheck    `yaml:"prio"`
	Running    *RunningCheck `yaml:"running"`
	Queue      *QueueCheck   `yaml:"queue"`
	Bitmap     *BitmapCheck  `yaml:"bitmap"`
	GlobalPrio *GlobalCheck  `yaml:"global_prio"`
	Uintr      *UintrCheck   `yaml:"uintr_pending"`
	Order      *OrderCheck   `yaml:"order"`
	When       *WhenCheck    `yaml:"when"`
	Count      *CountCheck   `yaml:"count"`
	Compare    *CompareCheck `yaml:"compare"`
	Chain      *ChainCheck   `yaml:"chain"`
	Warning    *WarningCheck `yaml:"warning"`
	Finished   *FinishCheck  `yaml:"finished"`
}

// checker is what every kind of check does.
type checker interface {
	validate(line int) error
	eval(e *env) (ok bool, got string)
	String() string
}

func (c *Check) kind() checker {
	v := reflect.ValueOf(c).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
			return f.Interface().(checker)
		}
	}
	return nil
}

// String describes the check for the student.
func (c *Check) String() string { return c.kind().String() }

// Result is the outcome of one check.
type Result struct {
	Check string `json:"check"`
	Line  int    `json:"line"`
	OK    bool   `json:"ok"`
	Got   string `json:"got,omitempty"` // what the model showed, when it failed
}

// Eval evaluates c on the live state of m.
func (c *Check) Eval(m *model.Model) Result { return c.eval(newEnv(m)) }

func (c *Check) eval(e *env) Result {
	ok, got := c.kind().eval(e)
	r := Result{Check: c.String(), Line: c.Line, OK: ok}
	if !ok {
		r.Got = got
	}
	return r
}

// StateCheck: coroutine Co is in state Is.
type StateCheck struct {
	Co string `yaml:"co"`
	Is string `yaml:"is"`
}

func (k *StateCheck) validate(line int) error {
	if k.Co == "" {
		return errAt(line, "state needs co")
	}
	if _, ok := stateByName(k.Is); !ok {
		return errAt(line, "state: is must be one of %s, got %q", strings.Join(stateNames(), ", "), k.Is)
	}
	return nil
}

func (k *StateCheck) eval(e *env) (bool, string) {
	c := e.findCo(k.Co)
	if c == nil {
		return false, "no coroutine " + k.Co
	}
	want, _ := stateByName(k.Is)
	return c.State == want, k.Co + " is " + c.State.String()
}

func (k *StateCheck) String() string { return k.Co + " is " + k.Is }

// PrioCheck: coroutine Co has priority Is.
type PrioCheck struct {
	Co string `yaml:"co"`
	Is int    `yaml:"is"`
}

func (k *PrioCheck) validate(line int) error {
	if k.Co == "" || k.Is < 0 || k.Is >= sched.NumPrio {
		return errAt(line, "prio needs co and is 0..%d", sched.NumPrio-1)
	}
	return nil
}

func (k *PrioCheck) eval(e *env) (bool, string) {
	c := e.findCo(k.Co)
	if c == nil {
		return false, "no coroutine " + k.Co
	}
	return int(c.Prio) == k.Is, fmt.Sprintf("%s has priority %d", k.Co, c.Prio)
}

func (k *PrioCheck) String() string { return fmt.Sprintf("%s has priority %d", k.Co, k.Is) }

// RunningCheck: hart Hart runs coroutine Co ("none": idle).
type RunningCheck struct {
	Hart int    `yaml:"hart"`
	Co   string `yaml:"co"`
}

func (k *RunningCheck) validate(line int) error {
	if k.Co == "" || k.Hart < 0 || k.Hart >= sched.MaxHarts {
		return errAt(line, "running needs co (or none) and hart 0..%d", sched.MaxHarts-1)
	}
	return nil
}

func (k *RunningCheck) eval(e *env) (bool, string) {
	got := "none"
	if k.Hart < len(e.s.Harts) {
		got = e.coName(e.s.Harts[k.Hart].Co)
	}
	return got == k.Co, fmt.Sprintf("hart %d runs %s", k.Hart, got)
}

func (k *RunningCheck) String() string { return fmt.Sprintf("hart %d runs %s", k.Hart, k.Co) }

// QueueCheck: process Proc's ready queue at priority Prio is exactly Is
// (head first), or has Head at its head, Tail at its tail, or is Empty.
type QueueCheck struct {
	Proc  string   `yaml:"proc"`
	Prio  int      `yaml:"prio"`
	Is    []string `yaml:"is"`
	Head  string   `yaml:"head"`
	Tail  string   `yaml:"tail"`
	Empty bool     `yaml:"empty"`
}

func (k *QueueCheck) validate(line int) error {
	if k.Proc == "" || k.Prio < 0 || k.Prio >= sched.NumPrio {
		return errAt(line, "queue needs proc and prio 0..%d", sched.NumPrio-1)
	}
	n := 0
	for _, b := range []bool{k.Is != nil, k.Head != "", k.Tail != "", k.Empty} {
		if b {
			n++
		}
	}
	if n != 1 {
		return errAt(line, "queue needs exactly one of is, head, tail, empty")
	}
	return nil
}

func (k *QueueCheck) eval(e *env) (bool, string) {
	p := e.findProc(k.Proc)
	if p == nil {
		return false, "no process " + k.Proc
	}
	var q []string
	for _, id := range p.Queues[k.Prio] {
		q = append(q, e.coName(id))
	}
	got := fmt.Sprintf("ready[%d] of %s is [%s]", k.Prio, k.Proc, strings.Join(q, ", "))
	switch {
	case k.Is != nil:
		return slices.Equal(q, k.Is), got
	case k.Head != "":
		return len(q) > 0 && q[0] == k.Head, got
	case k.Tail != "":
		return len(q) > 0 && q[len(q)-1] == k.Tail, got
	}
	return len(q) == 0, got
}

func (k *QueueCheck) String() string {
	w := fmt.Sprintf("ready[%d] of %s", k.Prio, k.Proc)
	switch {
	case k.Is != nil:
		return w + " is [" + strings.Join(k.Is, ", ") + "]"
	case k.Head != "":
		return k.Head + " is at the head of " + w
	case k.Tail != "":
		return k.Tail + " is at the tail of " + w
	}
	return w + " is empty"
}

// BitmapCheck: process Proc's ready bitmap has exactly the priorities Is.
type BitmapCheck struct {
	Proc string `yaml:"proc"`
	Is   []int  `yaml:"is"`
}

func (k *BitmapCheck) validate(line int) error {
	if k.Proc == "" {
		return errAt(line, "bitmap needs proc")
	}
	for _, p := range k.Is {
		if p < 0 || p >= sched.NumPrio {
			return errAt(line, "bitmap: priority %d out of 0..%d", p, sched.NumPrio-1)
		}
	}
	return nil
}

func (k *BitmapCheck) eval(e *env) (bool, string) {
	p := e.findProc(k.Proc)
	if p == nil {
		return false, "no process " + k.Proc
	}
	var want uint8
	for _, q := range k.Is {
		want |= 1 << q
	}
	b := p.Bitmap()
	return b == want, fmt.Sprintf("bitmap of %s is %s", k.Proc, bits(b))
}

func (k *BitmapCheck) String() string {
	var want uint8
	for _, q := range k.Is {
		want |= 1 << q
	}
	return fmt.Sprintf("bitmap of %s is %s", k.Proc, bits(want))
}

// bits shows a bitmap as its set priorities.
func bits(b uint8) string {
	var s []string
	for i := 0; i < sched.NumPrio; i++ {
		if b&(1<<i) != 0 {
			s = append(s, strconv.Itoa(i))
		}
	}
	return "{" + strings.Join(s, ",") + "}"
}

// GlobalCheck: process Proc's entry in the global priority array is Is
// (a number, or "idle").
type GlobalCheck struct {
	Proc string `yaml:"proc"`
	Is   string `yaml:"is"`
}

func (k *GlobalCheck) want() (uint8, bool) {
	if k.Is == "idle" {
		return sched.Idle, true
	}
	n, err := strconv.Atoi(k.Is)
	return uint8(n), err == nil && n >= 0 && n < sched.NumPrio
}

func (k *GlobalCheck) validate(line int) error {
	if _, ok := k.want(); k.Proc == "" || !ok {
		return errAt(line, "global_prio needs proc and is 0..%d or idle", sched.NumPrio-1)
	}
	return nil
}

func (k *GlobalCheck) eval(e *env) (bool, string) {
	p := e.findProc(k.Proc)
	if p == nil {
		return false, "no process " + k.Proc
	}
	want, _ := k.want()
	return p.Prio == want, "global priority of " + k.Proc + " is " + prioName(p.Prio)
}

func (k *GlobalCheck) String() string { return "global priority of " + k.Proc + " is " + k.Is }

func prioName(p uint8) string {
	if p == sched.Idle {
		return "idle"
	}
	return strconv.Itoa(int(p))
}

// UintrCheck: process Proc has (Is) or has not a user interrupt pending.
type UintrCheck struct {
	Proc string `yaml:"proc"`
	Is   bool   `yaml:"is"`
}

func (k *UintrCheck) validate(line int) error {
	if k.Proc == "" {
		return errAt(line, "uintr_pending needs proc")
	}
	return nil
}

func (k *UintrCheck) eval(e *env) (bool, string) {
	p := e.findProc(k.Proc)
	if p == nil {
		return false, "no process " + k.Proc
	}
	return p.UintrPending == k.Is, fmt.Sprintf("uintr pending for %s: %v", k.Proc, p.UintrPending)
}

func (k *UintrCheck) String() string { return fmt.Sprintf("uintr pending for %s: %v", k.Proc, k.Is) }
