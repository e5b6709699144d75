package gui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"copslab/sched"
	"copslab/workbench/cond"
	"copslab/workbench/live"
	"copslab/workbench/record"
	"copslab/workbench/target"
)

// The Kernel tab: what only a live kernel has — its console, the
// instruction the hart is at with its Go source line and registers, one
// instruction at a time — plus what every run has: a stop condition,
// stepping back through the recording, saving it, and reconnecting when
// QEMU went away. The tab exists for targets that have a kernel; the
// condition, back and save controls are in the control bar for all.

// kernelTarget is a target with a live kernel behind it (target/qemu.go).
type kernelTarget interface {
	Kernel() *live.Kernel
	Reopen() (target.Target, error)
}

type kernelPane struct {
	c       *Controller
	info    *widget.Label
	where   *widget.Label
	source  *widget.Label
	regs    *widget.Label
	console *widget.Label
	k       atomic.Pointer[live.Kernel] // for the console and the info line; the worker owns the session
	content fyne.CanvasObject
}

// newKernelPane builds the tab for t, or returns nil if t has no kernel.
func (w *Workbench) newKernelPane(t target.Target) *kernelPane {
	kt, ok := t.(kernelTarget)
	if !ok {
		return nil
	}
	p := &kernelPane{c: w.C}
	p.k.Store(kt.Kernel())
	mono := func() *widget.Label {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Monospace: true}
		return l
	}
	p.info, p.where, p.source, p.regs, p.console = widget.NewLabel(""), mono(), mono(), mono(), mono()
	p.info.Wrapping = fyne.TextWrapWord
	p.setInfo()
	p.where.SetText("halted: press Step instruction for the pc, its Go source line and the registers")
	stepi := w.button("stepi", "Step instruction", func() { p.call(true) })
	regs := w.button("regs", "Where / registers", func() { p.call(false) })
	reconnect := w.button("reconnect", "Reconnect", func() {
		w.C.Switch(func() (target.Target, error) {
			nt, err := kt.Reopen()
			if err == nil {
				k := nt.(kernelTarget).Kernel()
				p.k.Store(k)
				w.C.post(p.setInfo)
			}
			return nt, err
		})
	})
	left := container.NewVBox(p.info, container.NewHBox(stepi, regs, reconnect), p.where, p.source, p.regs)
	input := widget.NewEntry()
	input.SetPlaceHolder("type a line for the kernel's console (the shell: threads, pipeping, spin &, ps), Enter sends it")
	input.OnSubmitted = func(line string) {
		if k := p.k.Load(); k.Machine() != nil {
			k.Machine().Write([]byte(line + "\n"))
		}
		input.SetText("")
	}
	w.Controls["console"] = input
	right := container.NewBorder(widget.NewLabelWithStyle("Console (QEMU serial)", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		input, nil, nil, container.NewScroll(p.console))
	split := container.NewHSplit(container.NewScroll(left), right)
	split.Offset = 0.55
	p.content = split
	go p.followConsole()
	return p
}

func (p *kernelPane) setInfo() {
	k := p.k.Load()
	im := k.Img
	p.info.SetText(fmt.Sprintf("Kernel %s · build id %s (checked against the running kernel) · gdb stub %s · trace ring ktrace.Buf at %#x, decision point %#x",
		filepath.Base(im.Path), im.BuildIDString(), k.Addr(), im.Ring, im.Put))
}

// call steps one instruction (or only reads where the hart is) on the
// worker and shows the result.
func (p *kernelPane) call(step bool) {
	p.c.Call(func(t target.Target) ([]sched.Event, error) {
		kt, ok := t.(kernelTarget)
		if !ok {
			return nil, fmt.Errorf("the target has no kernel")
		}
		k := kt.Kernel()
		var loc live.Location
		var err error
		if step {
			loc, err = k.StepInstruction()
		} else {
			if err = k.Halt(); err == nil {
				loc, err = k.Where()
			}
		}
		if err != nil {
			return nil, err
		}
		regs, err := k.Registers()
		if err != nil {
			return nil, err
		}
		src := sourceAround(loc.File, loc.Line, 4)
		evs, err := k.Drain()
		p.c.post(func() {
			p.where.SetText(loc.String())
			p.source.SetText(src)
			p.regs.SetText(formatRegs(regs))
		})
		return evs, err
	})
}

// sourceAround returns the lines around line of file, the line marked.
func sourceAround(file string, line, ctx int) string {
	b, err := os.ReadFile(file)
	if err != nil || line <= 0 {
		return fmt.Sprintf("(source %s:%d not on this machine)", file, line)
	}
	lines := strings.Split(string(b), "\n")
	var out strings.Builder
	for i := max(line-ctx, 1); i <= min(line+ctx, len(lines)); i++ {
		mark := "  "
		if i == line {
			mark = "→ "
		}
		fmt.Fprintf(&out, "%s%5d  %s\n", mark, i, strings.ReplaceAll(lines[i-1], "\t", "    "))
	}
	return out.String()
}

// formatRegs lays registers out four per line.
func formatRegs(regs []live.Reg) string {
	var out strings.Builder
	for i, r := range regs {
		fmt.Fprintf(&out, "%-4s %016x", r.Name, r.Value)
		if i%4 == 3 {
			out.WriteByte('\n')
		} else {
			out.WriteString("   ")
		}
	}
	return out.String()
}

// followConsole shows the tail of QEMU's output twice a second.
func (p *kernelPane) followConsole() {
	last := ""
	for range time.Tick(500 * time.Millisecond) {
		if p.c.stopped.Load() {
			return
		}
		text := p.k.Load().Console()
		if lines := strings.Split(strings.TrimRight(text, "\n"), "\n"); len(lines) > 40 {
			text = strings.Join(lines[len(lines)-40:], "\n")
		}
		if text != last && text != "" {
			last = text
			t := text
			p.c.post(func() { p.console.SetText(t) })
		}
	}
}

// conditionBar is the stop-when entry, step back and save, for every
// target with a model.
func (w *Workbench) conditionBar() fyne.CanvasObject {
	entry := widget.NewEntry()
	entry.SetPlaceHolder("stop when: co 7 ready · proc 3 placed · prio 0 waits > 1ms")
	w.Controls["cond"] = entry
	set := w.button("setcond", "Stop when", func() {
		if strings.TrimSpace(entry.Text) == "" {
			w.C.StopWhen(nil)
			w.C.changed()
			return
		}
		k, err := cond.Parse(entry.Text)
		if err != nil {
			w.C.Err = err
			w.C.changed()
			return
		}
		w.C.Err = nil
		w.C.StopWhen(k)
		w.C.changed()
	})
	back := w.button("back", "◀ Back", w.C.StepBack)
	save := w.button("save", "Save recording", func() {
		path, err := w.C.Save("")
		if err != nil {
			w.C.Err = err
		} else {
			w.C.Saved = path
		}
		w.C.changed()
	})
	return container.NewBorder(nil, nil, back, container.NewHBox(set, save), entry)
}

// Save writes the model (what was recorded so far, also after the target
// died) to path, or to copslab-TIME.rec in the working directory.
func (c *Controller) Save(path string) (string, error) {
	if path == "" {
		path = "copslab-" + time.Now().Format("20060102-150405") + ".rec"
	}
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	w, err := record.NewWriter(f, record.Meta{Target: c.Kind, Scenario: c.Name,
		Created: time.Now().UTC().Format(time.RFC3339), Tool: "copslab window"})
	if err != nil {
		return "", err
	}
	if err := w.Names(c.M.Now()); err != nil {
		return "", err
	}
	if err := w.Events(c.M.Events()); err != nil {
		return "", err
	}
	if err := w.Snapshot(c.M.Now()); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return path, f.Close()
}

// SetNotice shows a line above the controls, e.g. why the window runs the
// sandbox instead of the kernel.
func (w *Workbench) SetNotice(text string) {
	w.notice.SetText(text)
	if text == "" {
		w.notice.Hide()
	} else {
		w.notice.Show()
	}
}
