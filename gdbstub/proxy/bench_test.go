package proxy

import (
	"io"
	"net"
	"testing"

	"copslab/gdbstub/client"
	"copslab/gdbstub/internal/qemutest"
)

// BenchmarkProxyReadMemory: the client's 64 KiB read from QEMU through the
// proxy (logging to io.Discard), to compare with
// client.BenchmarkQEMUReadMemory and see the proxy's cost.
func BenchmarkProxyReadMemory(b *testing.B) {
	qemutest.Need(b, qemutest.QEMUBinary)
	prog := qemutest.Build(b)
	q := qemutest.Start(b, prog)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	go (&Proxy{Target: q.Addr, Log: io.Discard}).Serve(l)
	c, err := client.Dial(l.Addr().String(), client.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	const n = 64 << 10
	b.SetBytes(n)
	for b.Loop() {
		if _, err := c.ReadMemory(0x80000000, n); err != nil {
			b.Fatal(err)
		}
	}
}
