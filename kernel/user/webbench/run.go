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
	"strings"
	"time"

	"copslab/kernel/user/internal/benchline"
)

// result is what one run measured.
type result struct {
	lats    []int64    // every request's latency, guest ns
	byPrio  [8][]int64 // the same by the connection's priority
	threads int        // the server's OS threads half way through the window
	sys     uint64     // bytes its Go runtime had from the kernel then
	stack   uint64     // of which goroutine and thread stacks
	frames  int64      // KiB of the kernel's frame pool taken since the run began (server and clients; -1: unknown)
	free    int64      // KiB free in the frame pool when the run began (-1: unknown)
}

// memFree reads MemFree from /proc/meminfo in KiB (-1: none).
func memFree() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return -1
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemFree:" {
			if n, err := strconv.ParseInt(f[1], 10, 64); err == nil {
				return n
			}
		}
	}
	return -1
}

// run sets up the pipes, starts the clients, serves with serve and
// collects the clients' latencies.
func run(serve form, conns, clients, prios, ms, work int, think time.Duration) (*result, error) {
	free0 := memFree()
	srv := make([]conn, 0, conns)
	type proc struct {
		cmd   *exec.Cmd
		start io.WriteCloser
		out   chan []byte
	}
	ps := make([]proc, clients)
	// Connection i goes to client i mod clients as its (i div clients)-th;
	// priorities go round within each client, so every client drives
	// every priority alike and a client's place in the kernel's turn
	// order weighs on all priorities equally.
	prioOf := func(i int) uint8 {
		if prios <= 1 {
			return defaultPrio
		}
		return uint8(i / clients % prios)
	}
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
			srv = append(srv, conn{req: reqR, resp: respW, prio: prioOf(i)})
			ends = append(ends, reqW, respR)
		}
		cmd := exec.Command(os.Args[0], "client", "-n", strconv.Itoa(len(ends)/2), "-ms", strconv.Itoa(ms), "-work", strconv.Itoa(work), "-think", think.String())
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
	go func() {
		err := serve(srv, work)
		if err != nil { // at once: the clients would wait for it until the watchdog
			fail(fmt.Errorf("server: %w", err))
		}
		served <- err
	}()
	for _, p := range ps {
		p.start.Write([]byte{1})
		p.start.Close()
	}
	// Memory and threads half way through the window, every connection busy.
	time.Sleep(time.Duration(ms) * time.Millisecond / 2)
	r := &result{free: free0}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	r.sys, r.stack = m.Sys, m.StackSys
	r.threads = pprof.Lookup("threadcreate").Count()
	r.frames = -1
	if free1 := memFree(); free0 >= 0 && free1 >= 0 {
		r.frames = free0 - free1
	}
	for k, p := range ps {
		b := <-p.out
		if err := p.cmd.Wait(); err != nil {
			return nil, fmt.Errorf("client %d: %w", k, err)
		}
		perConn, err := decodeLatencies(b)
		if err != nil {
			return nil, fmt.Errorf("client %d: %w", k, err)
		}
		for j, lats := range perConn { // client k's j-th connection is connection k+j·clients
			r.lats = append(r.lats, lats...)
			p := prioOf(k + j*clients)
			r.byPrio[p] = append(r.byPrio[p], lats...)
		}
	}
	if err := <-served; err != nil {
		return nil, err
	}
	return r, nil
}

// encodeLatencies and decodeLatencies are the clients' report format,
// little-endian uint64s: the number of connections, then per connection
// a count and that many guest-ns latencies.
func encodeLatencies(perConn [][]int64) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(perConn)))
	for _, lats := range perConn {
		b = binary.LittleEndian.AppendUint64(b, uint64(len(lats)))
		for _, l := range lats {
			b = binary.LittleEndian.AppendUint64(b, uint64(l))
		}
	}
	return b
}

func decodeLatencies(b []byte) ([][]int64, error) {
	next := func() (uint64, bool) {
		if len(b) < 8 {
			return 0, false
		}
		v := binary.LittleEndian.Uint64(b)
		b = b[8:]
		return v, true
	}
	n, ok := next()
	if !ok || n > uint64(len(b))/8 {
		return nil, fmt.Errorf("report of %d bytes", len(b))
	}
	perConn := make([][]int64, n)
	for i := range perConn {
		m, ok := next()
		if !ok || m > uint64(len(b))/8 {
			return nil, fmt.Errorf("connection %d: report cut short", i)
		}
		perConn[i] = make([]int64, m)
		for j := range perConn[i] {
			v, _ := next()
			perConn[i][j] = int64(v)
		}
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("%d bytes after the report", len(b))
	}
	return perConn, nil
}

// stats are the latency figures of a set of requests.
type stats struct{ n, mean, p50, p99, max int64 }

func latStats(lats []int64) stats {
	l := slices.Clone(lats)
	slices.Sort(l)
	if len(l) == 0 {
		return stats{}
	}
	var sum int64
	for _, v := range l {
		sum += v
	}
	q := func(p float64) int64 { return l[min(len(l)-1, int(p*float64(len(l))))] }
	return stats{n: int64(len(l)), mean: sum / int64(len(l)), p50: q(0.50), p99: q(0.99), max: q(1)}
}

// print writes the run's BENCH line, and with priorities one web-prio
// line per priority.
func (r *result) print(form string, conns, clients, prios, ms int, think time.Duration) {
	s := latStats(r.lats)
	benchline.Emit("web", "form", form, "conns", conns, "clients", clients, "window_ms", ms, "prios", max(prios, 1), "think_us", think.Microseconds(),
		"requests", s.n, "req_per_s", s.n*1000/int64(ms),
		"mean_ns", s.mean, "p50_ns", s.p50, "p99_ns", s.p99, "max_ns", s.max,
		"threads", r.threads, "sys_kib", r.sys/1024, "stack_kib", r.stack/1024, "frames_kib", r.frames, "memfree_kib", r.free,
		"polls", sweepStats.polls, "probes", sweepStats.probes, "hits", sweepStats.hits, "slot_waits", slotWaits)
	if prios <= 1 {
		return
	}
	for p := range prios {
		s := latStats(r.byPrio[p])
		benchline.Emit("web-prio", "form", form, "conns", conns, "prios", prios, "window_ms", ms, "think_us", think.Microseconds(), "prio", p,
			"requests", s.n, "mean_ns", s.mean, "p50_ns", s.p50, "p99_ns", s.p99, "max_ns", s.max)
	}
}
