package uabi

import (
	"encoding/binary"
	"testing"
)

func sampleFrame() Sigframe {
	f := Sigframe{Signo: SIGSEGV, Code: SEGV_MAPERR, Addr: 0,
		AltStack: StackT{Sp: 0xc000100000, Flags: SS_ONSTACK, Size: 32768},
		Sigmask:  SigBit(SIGURG) | SigBit(SIGCHLD), Fcsr: 0xe5}
	for n := range f.Regs {
		f.Regs[n] = 0x1000 + uint64(n)
		f.FRegs[n] = 0xf000 + uint64(n)
	}
	return f
}

func TestSigframeMarshalOffsets(t *testing.T) {
	f := sampleFrame()
	f.Addr = 0xdead
	b := make([]byte, SigframeSize+8)
	for i := range b {
		b[i] = 0xaa // stale stack contents must be cleared
	}
	if err := f.Marshal(b); err != nil {
		t.Fatal(err)
	}
	u64 := func(off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }
	u32 := func(off int) uint32 { return binary.LittleEndian.Uint32(b[off:]) }
	checks := []struct {
		name      string
		got, want uint64
	}{
		{"si_signo", uint64(u32(SiSigno)), SIGSEGV},
		{"si_code", uint64(u32(SiCode)), SEGV_MAPERR},
		{"si_addr", u64(SiAddr), 0xdead},
		{"pc", u64(FrameReg(0)), 0x1000},
		{"ra", u64(FrameReg(RegRA)), 0x1001},
		{"sp", u64(FrameReg(RegSP)), 0x1002},
		{"a0", u64(FrameReg(RegA0)), 0x100a},
		{"t6", u64(FrameReg(31)), 0x101f},
		{"f0", u64(SigframeUc + UcMcontext + ScFreg(0)), 0xf000},
		{"f31", u64(SigframeUc + UcMcontext + ScFreg(31)), 0xf01f},
		{"fcsr", uint64(u32(SigframeUc + UcMcontext + ScFcsr)), 0xe5},
		{"sigmask", u64(SigframeUc + UcSigmask), 1<<22 | 1<<16},
		{"ss_sp", u64(SigframeUc + UcStack + StackSp), 0xc000100000},
		{"ss_flags", uint64(u32(SigframeUc + UcStack + StackFlags)), SS_ONSTACK},
		{"ss_size", u64(SigframeUc + UcStack + StackSize), 32768},
		{"uc_flags", u64(SigframeUc + UcFlags), 0},
		{"uc_link", u64(SigframeUc + UcLink), 0},
		{"padding after fcsr", u64(SigframeUc + UcMcontext + ScFcsr + 4), 0},
		{"byte after the frame", uint64(b[SigframeSize]), 0xaa},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#x, want %#x", c.name, c.got, c.want)
		}
	}
}

func TestSigframeRoundTrip(t *testing.T) {
	for _, f := range []Sigframe{sampleFrame(), {Signo: SIGURG, Code: SI_TKILL, Pid: 42, UID: 7}} {
		b := make([]byte, SigframeSize)
		if err := f.Marshal(b); err != nil {
			t.Fatal(err)
		}
		var g Sigframe
		if err := g.Unmarshal(b); err != nil {
			t.Fatal(err)
		}
		if f.Addr == 0 {
			// Pid/UID and Addr share bytes; the decoded Addr shows them.
			f.Addr = uint64(f.UID)<<32 | uint64(f.Pid)
		}
		if g != f {
			t.Errorf("round trip:\n got %+v\nwant %+v", g, f)
		}
	}
	if err := (&Sigframe{}).Marshal(make([]byte, SigframeSize-1)); err != ErrShortFrame {
		t.Errorf("short Marshal: %v", err)
	}
	if err := (&Sigframe{}).Unmarshal(make([]byte, 10)); err != ErrShortFrame {
		t.Errorf("short Unmarshal: %v", err)
	}
}

func TestSigframeSP(t *testing.T) {
	for _, sp := range []uint64{0x40000000, 0x40000008, 0x3ffffff1} {
		fsp := SigframeSP(sp)
		if fsp%16 != 0 || fsp+SigframeSize > sp || sp-(fsp+SigframeSize) >= 16 {
			t.Errorf("SigframeSP(%#x) = %#x", sp, fsp)
		}
	}
}
