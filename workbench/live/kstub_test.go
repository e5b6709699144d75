package live

import (
	"strings"
	"testing"

	"copslab/boards"
)

// TestCheckStub: the kernel's own stub is refused, with the reason, on a
// board without a second UART and for an unknown stub name.
func TestCheckStub(t *testing.T) {
	virt, err := boards.Load("../../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sifive, err := boards.Load("../../boards/qemu-sifive_u.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		o    Options
		want string // "" = accepted
	}{
		{Options{Board: virt}, ""},
		{Options{Board: virt, Stub: StubQEMU}, ""},
		{Options{Board: sifive, Stub: StubKernel}, ""},
		{Options{Attach: "127.0.0.1:2345", Stub: StubKernel}, ""},
		{Options{Board: virt, Stub: StubKernel}, "needs a second UART: board qemu-virt"},
		{Options{Board: sifive, Stub: "jtag"}, `unknown gdb stub "jtag"`},
	} {
		err := checkStub(c.o)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("stub %q on %v: %v, want %q", c.o.Stub, c.o.Board != nil, err, c.want)
		}
	}
	if got := strings.Join(KernelStubArgs(2345), " "); !strings.Contains(got, "host=127.0.0.1,port=2345,server=on") {
		t.Errorf("stub line not on loopback: %s", got)
	}
}
