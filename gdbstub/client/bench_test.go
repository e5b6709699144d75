package client

import (
	"testing"
)

// BenchmarkQEMUReadMemory measures memory read throughput from QEMU's stub:
// 64 KiB of RAM per operation, split into PacketSize-sized 'm' requests.
func BenchmarkQEMUReadMemory(b *testing.B) {
	c, _, _ := session(b)
	const n = 64 << 10
	b.SetBytes(n)
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.ReadMemory(0x80000000, n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQEMUStep measures the round trip of one single-step: 's' sent,
// stop reply received.
func BenchmarkQEMUStep(b *testing.B) {
	c, _, _ := session(b)
	for b.Loop() {
		if _, err := c.Step(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQEMUReadRegister measures one 'p' round trip (pc).
func BenchmarkQEMUReadRegister(b *testing.B) {
	c, _, _ := session(b)
	if _, err := c.Reg("pc"); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Reg("pc"); err != nil {
			b.Fatal(err)
		}
	}
}
