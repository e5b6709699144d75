package main

import (
	"fmt"
	"os"
	"time"

	"copslab/workbench/config"
	"copslab/workbench/record"
	"copslab/workbench/session"
	"copslab/workbench/target"
)

// copslab record: run a target and write a recording.
func init() {
	register(&command{
		name:    "record",
		summary: "record a run: record --scenario FILE|NAME --for 5ms -o RUN.rec, or record --target qemu --append 'run threads'",
		run:     runRecord,
	})
}

func runRecord(args []string) error {
	fs := newFlags("record", "copslab record [--scenario FILE|NAME | --target qemu [--kernel ELF] [--append ARGS] [--attach HOST:PORT] [--stub qemu|kernel]] [--for T] [-o RUN.rec]")
	config.AddFlags(fs.FlagSet)
	dur := fs.Duration("for", 0, "time to record: virtual (sandbox) or the guest clock (qemu); 0: until the run ends")
	out := fs.StringP("output", "o", "run.rec", "recording file")
	every := fs.Int("snap-every", session.DefaultSnapEvery, "decisions between snapshots (keyframes)")
	if err := fs.parse(args, 0); err != nil {
		return err
	}
	cfg, err := config.Load(fs.FlagSet)
	if err != nil {
		return err
	}
	tg, err := target.Open(targetOptions(cfg))
	if err != nil {
		return err
	}
	defer tg.Close()
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := recordRun(tg, f, *dur, *every)
	if err != nil {
		return fmt.Errorf("%s: %w", *out, err)
	}
	fmt.Fprintf(os.Stderr, "wrote %s: %d events, %s virtual time\n", *out, n, time.Duration(tg.Now()))
	return f.Close()
}

// recordRun drives tg for dur of virtual time (or to its end) into f.
func recordRun(tg target.Target, f *os.File, dur time.Duration, every int) (uint64, error) {
	info := tg.Info()
	w, err := record.NewWriter(f, record.Meta{
		Target: info.Kind, Scenario: info.Name, Description: info.Description,
		Created: time.Now().UTC().Format(time.RFC3339), Tool: "copslab record",
	})
	if err != nil {
		return 0, err
	}
	d := session.New(tg)
	d.SnapEvery = max(every, 1)
	end := ^uint64(0)
	if dur > 0 {
		end = uint64(dur)
	}
	p := newProgress()
	b, err := d.Start()
	if err == nil && b.Names != nil {
		err = w.Names(b.Names)
	}
	for err == nil {
		if err = w.Events(b.Events); err != nil {
			break
		}
		if b.Snap != nil {
			if err = w.Snapshot(b.Snap); err != nil {
				break
			}
		}
		if b.Done || b.Now >= end {
			break
		}
		p.update("recording %s: %s virtual, %d events", info.Name, time.Duration(b.Now), w.Count())
		b, err = d.RunUntil(end, 1<<16)
	}
	if err != nil {
		// Keep what was recorded (a live kernel may die mid-run): the
		// last batch's events and a valid end frame.
		if werr := w.Events(b.Events); werr == nil && w.Close() == nil {
			return w.Count(), fmt.Errorf("%w (the %d events recorded before are saved)", err, w.Count())
		}
		return w.Count(), err
	}
	p.done("recorded %s to %s virtual time", info.Name, time.Duration(tg.Now()))
	return w.Count(), w.Close()
}
