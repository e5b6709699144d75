// Command webbench is the paper's pipe web server on the copslab kernel:
// client processes send requests over pipes to a server process, which
// answers each one, and the clients measure every request's latency in
// guest time. The server runs in one of several forms (forms.go) with
// the same request handling, so the forms differ only in how
// connections are scheduled:
//
//	webbench -form thread -conns 8 -ms 200
//	BENCH web form=thread conns=8 clients=4 window_ms=200 prios=1 requests=… req_per_s=… mean_ns=… p50_ns=… p99_ns=… max_ns=… threads=… sys_kib=… stack_kib=… probes=0 hits=0 slot_waits=0
//
// With -prios N the connections get priorities 0 … N−1 (each client
// drives every priority alike) and one more line per priority follows
// (the priority experiment):
//
//	webbench -form coroutine -conns 64 -prios 8 -ms 500
//	BENCH web-prio form=coroutine conns=64 prios=8 window_ms=500 prio=0 requests=… mean_ns=… p50_ns=… p99_ns=… max_ns=…
//
// One run: the server makes two pipes per connection (requests, responses),
// starts -clients copies of itself as clients ("webbench client"), each
// driving its share of the connections, and serves them. Every client
// waits for a start byte on its stdin so all start their -ms window
// together, then each of its connections sends requests one after the
// other (closed loop) until the window ends, and closes its request pipe;
// the server's handler sees the end and stops. Clients send their
// latencies back on stdout; the server merges them and prints one BENCH
// line (package benchline). Exits 1 on any failure (the response of every
// request is checked).
//
// With -icount shift=0 (one instruction per guest nanosecond) the guest
// clock, and so every number here, does not depend on how busy the host is.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "client" {
		if err := client(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "webbench client: FAIL", err)
			os.Exit(1)
		}
		return
	}
	form := flag.String("form", "thread", "server form: "+strings.Join(formNames(), ", "))
	conns := flag.Int("conns", 8, "connections")
	clients := flag.Int("clients", 4, "client processes (at most one per connection)")
	prios := flag.Int("prios", 1, "priorities 0 (best) … prios−1, spread evenly over the connections of every client (form thread and the coroutine forms)")
	ms := flag.Int("ms", 200, "measuring window in guest milliseconds")
	work := flag.Int("work", defaultWork, "rounds of request processing per request (see respond)")
	think := flag.Duration("think", 0, "each connection's pause between a response and its next request (0: closed loop, back to back)")
	slack := flag.Duration("slack", 3*time.Second, "how long after the window a run may take to wind up before it fails")
	flag.Parse()
	serve, ok := forms[*form]
	switch {
	case !ok:
		fail(fmt.Errorf("no server form %q (have %s)", *form, strings.Join(formNames(), ", ")))
	case *conns < 1 || *clients < 1 || *ms < 1 || *work < 0:
		fail(fmt.Errorf("-conns, -clients and -ms must be at least 1, -work at least 0"))
	case *think < 0:
		fail(fmt.Errorf("-think must not be negative"))
	case *prios < 1 || *prios > 8:
		fail(fmt.Errorf("-prios must be 1…8 (the scheduler's priorities)"))
	case *prios > 1 && !prioForms[*form]:
		fail(fmt.Errorf("form %s has no priorities (-prios)", *form))
	}
	if *clients > *conns {
		*clients = *conns
	}
	// A run that cannot finish (a thread the kernel refuses, a client that
	// never got going) ends with a FAIL line instead of hanging the boot.
	limit := time.Duration(*ms)*time.Millisecond + *slack
	time.AfterFunc(limit, func() { fail(fmt.Errorf("no end within %s of guest time", limit)) })
	r, err := run(serve, *conns, *clients, *prios, *ms, *work, *think)
	if err != nil {
		fail(err)
	}
	r.print(*form, *conns, *clients, *prios, *ms, *think)
}

func fail(err error) {
	fmt.Println("webbench: FAIL", err)
	os.Exit(1)
}

func formNames() []string {
	var n []string
	for k := range forms {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}
