package delve

// Reading the scheduler region out of the stopped debuggee: its address
// and size come from the debuggee's variables, the bytes from Delve's
// memory reads, and the meaning from sched.Decode, the decoder the
// workbench uses for every raw dump.

import (
	"fmt"

	"github.com/go-delve/delve/service/rpc2"

	"copslab/sched"
	"copslab/workbench/model"
	"copslab/workbench/target"
)

// RegionBytes reads the raw scheduler region from the stopped debuggee.
func (s *Session) RegionBytes() ([]byte, error) {
	addr, n := s.evalUint(varRegionAddr), int(s.evalUint(varRegionLen))
	if addr == 0 || n <= 0 {
		return nil, fmt.Errorf("the debuggee has not set up its scheduler region yet (%s = %#x): continue to a scheduler function first", varRegionAddr, addr)
	}
	b := make([]byte, 0, n)
	for len(b) < n {
		k := min(n-len(b), rpc2.ExamineMemoryLengthLimit)
		chunk, _, err := s.client.ExamineMemory(addr+uint64(len(b)), k)
		if err != nil {
			return nil, fmt.Errorf("reading the region at %#x+%d: %w", addr, len(b), err)
		}
		if len(chunk) != k {
			return nil, fmt.Errorf("reading the region at %#x+%d: got %d bytes, want %d", addr, len(b), len(chunk), k)
		}
		b = append(b, chunk...)
	}
	return b, nil
}

// Region reads and decodes the scheduler region. A region caught in the
// middle of an operation may not decode; the error says where.
func (s *Session) Region() (*sched.Snapshot, error) {
	b, err := s.RegionBytes()
	if err != nil {
		return nil, err
	}
	return sched.Decode(b)
}

// Snapshot is Region in the model's form, timed at the current decision's
// start, for the workbench views.
func (s *Session) Snapshot() (*model.Snapshot, error) {
	r, err := s.Region()
	if err != nil {
		return nil, err
	}
	var clock uint64
	if s.last != nil {
		clock = s.last.Clock
	}
	return target.FromRegion(r, clock), nil
}
