package server

import (
	"net"
	"testing"

	"copslab/gdbstub/client"
	"copslab/gdbstub/internal/qemutest"
)

// BenchmarkServerReadMemory: the client reads 64 KiB through our server
// (which speaks binary 'x' to the client and 'm' to QEMU).
func BenchmarkServerReadMemory(b *testing.B) {
	qemutest.Need(b, qemutest.QEMUBinary)
	prog := qemutest.Build(b)
	q := qemutest.Start(b, prog)
	far, err := client.Dial(q.Addr, client.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer far.Close()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	go ListenAndServe(l, &ClientTarget{C: far}, Options{})
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
