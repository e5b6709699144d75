package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"time"

	"copslab/kernel/user/internal/benchline"
)

// result is what one run measured.
type result struct {
	lats    []int64 // every request's latency, guest ns
	threads int     // the server's OS threads half way through the window
	sys     uint64  // bytes its Go runtime had from the kernel then
	stack   uint64  // of which goroutine and thread stacks
}

// run sets up the pipes, starts the clients, serves with serve and
// collects the clients' latencies.
func run(serve form, conns, clients, ms, work int) (*result, error) {
	srv := make([]conn, 0, conns)
	type proc struct {
		cmd   *exec.Cmd
		start io.WriteCloser
		out   chan []byte
	}
	ps := make([]proc, clients)
	for k := range ps {
		// Client k's connections, made just before it starts and our
		// copies of its ends closed right after, so the server holds two
		// descriptors per connection.
		var ends []*os.File // per connection: request writer, response reader
		for i := k; i < conns; i += clients {
			reqR, reqW, err := os.Pipe()
			if err != nil {
				return nil, err
			}
			respR, respW, err := os.Pipe()
			if err != nil {
				return nil, err
			}
			srv = append(srv, conn{req: reqR, resp: respW})
			ends = append(ends, reqW, respR)
		}
		cmd := exec.Command(os.Args[0], "client", "-n", strconv.Itoa(len(ends)/2), "-ms", strconv.Itoa(ms), "-work", strconv.Itoa(work))
		cmd.ExtraFiles = ends
		cmd.Stderr = os.Stderr
		start, err := cmd.StdinPipe()
		if err != nil {
			return nil, err
		}
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("starting client %d: %w", k, err)
		}
		for _, f := range ends { // the client has them now; EOF needs ours closed
			f.Close()
		}
		ps[k] = proc{cmd: cmd, start: start, out: make(chan []byte, 1)}
		go func() { b, _ := io.ReadAll(out); ps[k].out <- b }()
	}
	served := make(chan error, 1)
	go func() { served <- serve(srv, work) }()
	for _, p := range ps {
		p.start.Write([]byte{1})
		p.start.Close()
	}
	// Memory and threads half way through the window, every connection busy.
	time.Sleep(time.Duration(ms) * time.Millisecond / 2)
	r := &result{}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	r.sys, r.stack = m.Sys, m.StackSys
	r.threads = pprof.Lookup("threadcreate").Count()
	for k, p := range ps {
		b := <-p.out
		if err := p.cmd.Wait(); err != nil {
			return nil, fmt.Errorf("client %d: %w", k, err)
		}
		lats, err := decodeLatencies(b)
		if err != nil {
			return nil, fmt.Errorf("client %d: %w", k, err)
		}
		r.lats = append(r.lats, lats...)
	}
	if err := <-served; err != nil {
		return nil, err
	}
	return r, nil
}

// encodeLatencies and decodeLatencies are the clients' report format: a
// count, then that many guest-ns latencies, little-endian uint64s.
func encodeLatencies(lats []int64) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(lats)))
	for _, l := range lats {
		b = binary.LittleEndian.AppendUint64(b, uint64(l))
	}
	return b
}

func decodeLatencies(b []byte) ([]int64, error) {
	if len(b) < 8 {
		return nil, fmt.Errorf("report of %d bytes", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if uint64(len(b)-8) != 8*n {
		return nil, fmt.Errorf("report says %d latencies in %d bytes", n, len(b))
	}
	lats := make([]int64, n)
	for i := range lats {
		lats[i] = int64(binary.LittleEndian.Uint64(b[8+8*i:]))
	}
	return lats, nil
}

// print writes the run's BENCH line.
func (r *result) print(form string, conns, clients, ms int) {
	l := slices.Clone(r.lats)
	slices.Sort(l)
	var sum int64
	for _, v := range l {
		sum += v
	}
	q := func(p float64) int64 {
		if len(l) == 0 {
			return 0
		}
		return l[min(len(l)-1, int(p*float64(len(l))))]
	}
	mean := int64(0)
	if len(l) > 0 {
		mean = sum / int64(len(l))
	}
	benchline.Emit("web", "form", form, "conns", conns, "clients", clients, "window_ms", ms,
		"requests", len(l), "req_per_s", int64(len(l))*1000/int64(ms),
		"mean_ns", mean, "p50_ns", q(0.50), "p99_ns", q(0.99), "max_ns", q(1),
		"threads", r.threads, "sys_kib", r.sys/1024, "stack_kib", r.stack/1024)
}
