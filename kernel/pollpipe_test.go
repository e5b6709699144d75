package kernel_test

import (
	"strconv"
	"testing"

	"copslab/boards"
)

// TestPipesOnThePoller: 200 goroutines blocked on pipe reads hold a
// handful of threads, not one each — the runtime registers pipes with
// epoll (edge-triggered), reads them non-blocking and parks the
// goroutines on its poller; a pipe write wakes the one thread waiting
// in epoll_pwait. The thread count is the kernel's (/proc/PID/task,
// read by the program while the goroutines wait); every goroutine must
// still get its job.
func TestPipesOnThePoller(t *testing.T) {
	kernel := compatKernel(t)
	p, err := boards.Load("../boards/qemu-virt.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := boot(t, p.QEMUArgs(kernel, boards.RunOptions{Append: "run pipewait"})...)
	g := expect(t, m, `pipewait: (\d+) threads while 200 goroutines wait`)
	t.Log(g[0])
	if n, _ := strconv.Atoi(g[1]); n >= 20 {
		t.Errorf("%d threads for 200 goroutines blocked on pipes, want < 20 (one thread per blocked read: pipes not on the poller)", n)
	}
	expect(t, m, `pipewait: 200 goroutines blocked on pipe reads, 200 jobs served`)
	expect(t, m, `run pipewait: exited with status 0`)
	wantExit(t, m, 0)
}
