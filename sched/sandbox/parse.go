package sandbox

import (
	"fmt"
	"strconv"

	"gopkg.in/yaml.v3"

	"copslab/sched"
)

// The scenario parser walks yaml.Node trees by hand instead of decoding
// into tagged structs: that way every unknown key and every bad value is
// reported with its own line number, and work steps can be written as
// one-key maps ("compute: 5") or bare words ("yield").

func parseYAML(data []byte, name string) (*Scenario, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("%s: empty scenario", name)
	}
	sc := &Scenario{Name: name, Harts: 1, TickNS: 1000, Quantum: 10, MaxTicks: 10_000_000, Uintr: DefaultUintr}
	costsUintr, handler, err := sc.fromNode(doc.Content[0])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	switch {
	case costsUintr > 0 && handler > 0:
		return nil, fmt.Errorf("%s: %w", name, lineError(handler, "uintr.handler_ns and costs.uintr (line %d) both set the handler's cost; keep uintr.handler_ns", costsUintr))
	case costsUintr > 0:
		sc.Uintr.HandlerNS = 0 // the older costs.uintr (ticks) applies
	}
	return sc, nil
}

// fieldFunc decodes the value of one known key.
type fieldFunc func(v *yaml.Node) error

// mapping calls fields[key] for every key of n; an unknown key is an error.
func mapping(n *yaml.Node, what string, fields map[string]fieldFunc) error {
	if n.Kind != yaml.MappingNode {
		return lineError(n.Line, "%s must be a mapping", what)
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			return lineError(k.Line, "unknown field %q in %s", k.Value, what)
		}
		if seen[k.Value] {
			return lineError(k.Line, "field %q given twice in %s", k.Value, what)
		}
		seen[k.Value] = true
		if err := f(v); err != nil {
			return err
		}
	}
	return nil
}

func str(dst *string) fieldFunc {
	return func(v *yaml.Node) error {
		if v.Kind != yaml.ScalarNode {
			return lineError(v.Line, "expected a string")
		}
		*dst = v.Value
		return nil
	}
}

// uintIn decodes an integer in [lo, hi].
func uintIn(v *yaml.Node, lo, hi uint64) (uint64, error) {
	if v.Kind != yaml.ScalarNode {
		return 0, lineError(v.Line, "expected a number")
	}
	x, err := strconv.ParseUint(v.Value, 10, 64)
	if err != nil || x < lo || x > hi {
		return 0, lineError(v.Line, "expected an integer in %d..%d, got %q", lo, hi, v.Value)
	}
	return x, nil
}

func u64(dst *uint64, lo, hi uint64) fieldFunc {
	return func(v *yaml.Node) (err error) { *dst, err = uintIn(v, lo, hi); return }
}

func intf(dst *int, lo, hi uint64) fieldFunc {
	return func(v *yaml.Node) error {
		x, err := uintIn(v, lo, hi)
		*dst = int(x)
		return err
	}
}

func boolf(dst *bool, what string) fieldFunc {
	return func(v *yaml.Node) error {
		if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
			return lineError(v.Line, "%s must be true or false", what)
		}
		*dst = v.Value == "true"
		return nil
	}
}

const maxTicks = 1 << 40

// fromNode fills sc from the document's top mapping. It returns the lines
// of costs.uintr and uintr.handler_ns (0 when absent) so the caller can
// reject a scenario that sets the handler's cost twice.
func (sc *Scenario) fromNode(n *yaml.Node) (costsUintr, handler int, err error) {
	err = mapping(n, "scenario", map[string]fieldFunc{
		"name":            str(&sc.Name),
		"description":     str(&sc.Description),
		"harts":           intf(&sc.Harts, 1, sched.MaxHarts),
		"tick_ns":         u64(&sc.TickNS, 1, 1_000_000_000),
		"quantum":         u64(&sc.Quantum, 1, maxTicks),
		"until":           u64(&sc.Until, 0, maxTicks),
		"max_ticks":       u64(&sc.MaxTicks, 1, maxTicks),
		"kernel_syscalls": boolf(&sc.KernelSyscalls, "kernel_syscalls"),
		"lost_wakeups":    boolf(&sc.LostWakeups, "lost_wakeups"),
		"costs": func(v *yaml.Node) error {
			return mapping(v, "costs", map[string]fieldFunc{
				"coswitch":   u64(&sc.Costs.CoSwitch, 0, 1_000_000),
				"procswitch": u64(&sc.Costs.ProcSwitch, 0, 1_000_000),
				"uintr":      lineOf(&costsUintr, u64(&sc.Costs.Uintr, 0, 1_000_000)),
			})
		},
		"uintr": func(v *yaml.Node) error {
			return mapping(v, "uintr", map[string]fieldFunc{
				"kernel_ns":   u64(&sc.Uintr.KernelNS, 0, maxStageNS),
				"delivery_ns": u64(&sc.Uintr.DeliveryNS, 0, maxStageNS),
				"handler_ns":  lineOf(&handler, u64(&sc.Uintr.HandlerNS, 0, maxStageNS)),
			})
		},
		"processes": func(v *yaml.Node) error {
			if v.Kind != yaml.SequenceNode {
				return lineError(v.Line, "processes must be a list")
			}
			for _, pn := range v.Content {
				p, err := procFromNode(pn)
				if err != nil {
					return err
				}
				sc.Procs = append(sc.Procs, p)
			}
			return nil
		},
	})
	return costsUintr, handler, err
}

// maxStageNS bounds each uintr stage cost (one virtual second).
const maxStageNS = 1_000_000_000

// lineOf wraps f to record the line of the value it decodes.
func lineOf(line *int, f fieldFunc) fieldFunc {
	return func(v *yaml.Node) error {
		*line = v.Line
		return f(v)
	}
}

func procFromNode(n *yaml.Node) (ProcSpec, error) {
	p := ProcSpec{Hart: -1, Line: n.Line}
	var mode string
	hart := -1
	err := mapping(n, "process", map[string]fieldFunc{
		"name": str(&p.Name),
		"mode": str(&mode),
		"hart": intf(&hart, 0, sched.MaxHarts-1),
		"coroutines": func(v *yaml.Node) (err error) {
			p.Cos, err = cosFromNode(v)
			return
		},
	})
	if err != nil {
		return p, err
	}
	p.Hart = hart
	switch mode {
	case "", "coroutines":
		p.Mode = ModeCoroutines
	case "threads":
		p.Mode = ModeThreads
	default:
		return p, lineError(n.Line, "process %q: mode must be coroutines or threads, got %q", p.Name, mode)
	}
	if p.Name == "" {
		return p, lineError(n.Line, "process without a name")
	}
	if len(p.Cos) == 0 {
		return p, lineError(n.Line, "process %q has no coroutines", p.Name)
	}
	return p, nil
}

func cosFromNode(v *yaml.Node) ([]CoSpec, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, lineError(v.Line, "coroutines must be a list")
	}
	var out []CoSpec
	for _, cn := range v.Content {
		c, err := coFromNode(cn, true)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// coFromNode decodes a coroutine; withStart is false inside spawn steps.
func coFromNode(n *yaml.Node, withStart bool) (CoSpec, error) {
	c := CoSpec{Count: 1, Repeat: 1, Line: n.Line}
	var prio uint64
	fields := map[string]fieldFunc{
		"name":   str(&c.Name),
		"prio":   u64(&prio, 0, sched.NumPrio-1),
		"count":  intf(&c.Count, 1, sched.LocalCos),
		"repeat": intf(&c.Repeat, 1, 1_000_000),
		"work": func(v *yaml.Node) (err error) {
			c.Work, err = workFromNode(v)
			return
		},
	}
	if withStart {
		fields["start"] = u64(&c.Start, 0, maxTicks)
	}
	if err := mapping(n, "coroutine", fields); err != nil {
		return c, err
	}
	c.Prio = uint8(prio)
	if c.Name == "" {
		return c, lineError(n.Line, "coroutine without a name")
	}
	if len(c.Work) == 0 {
		return c, lineError(n.Line, "coroutine %q has no work", c.Name)
	}
	return c, nil
}

func workFromNode(v *yaml.Node) ([]Step, error) {
	if v.Kind != yaml.SequenceNode {
		return nil, lineError(v.Line, "work must be a list")
	}
	var out []Step
	for _, sn := range v.Content {
		s, err := stepFromNode(sn)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// stepFromNode decodes "yield" or a one-key map: compute/read/write/io/
// sleep: ticks, or spawn: coroutine.
func stepFromNode(n *yaml.Node) (Step, error) {
	s := Step{Line: n.Line}
	if n.Kind == yaml.ScalarNode && (n.Value == "yield" || n.Value == "await") {
		s.Op = map[string]Op{"yield": OpYield, "await": OpAwait}[n.Value]
		return s, nil
	}
	if n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return s, lineError(n.Line, "a work step is \"yield\", \"await\" or one of compute/read/write/sleep/submit/wait/signal/spawn with a value")
	}
	k, v := n.Content[0], n.Content[1]
	var err error
	switch k.Value {
	case "compute", "read", "write", "io", "sleep", "submit":
		s.Op = map[string]Op{"compute": OpCompute, "read": OpIO, "write": OpIO, "io": OpIO, "sleep": OpSleep, "submit": OpSubmit}[k.Value]
		s.Ticks, err = uintIn(v, 1, maxTicks)
	case "wait", "signal":
		s.Op = map[string]Op{"wait": OpWait, "signal": OpSignal}[k.Value]
		if v.Kind != yaml.ScalarNode || v.Value == "" {
			err = lineError(v.Line, "%s needs the name of an event", k.Value)
		}
		s.Name = v.Value
	case "yield":
		s.Op = OpYield
	case "spawn":
		s.Op = OpSpawn
		var c CoSpec
		c, err = coFromNode(v, false)
		s.Spawn = &c
	default:
		err = lineError(k.Line, "unknown work step %q (want compute, read, write, sleep, submit, await, wait, signal, yield or spawn)", k.Value)
	}
	return s, err
}
