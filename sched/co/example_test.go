package co_test

import (
	"fmt"

	"copslab/sched/co"
)

// Two coroutines at different priorities: the better one runs first, and
// Await/Notify hand control between them.
func Example() {
	ex := co.New()
	ready := ex.NewSignal()
	ex.Spawn(5, func(c *co.Co) {
		fmt.Println("producer: working")
		c.Yield()
		fmt.Println("producer: notify")
		ready.Notify()
	})
	ex.Spawn(1, func(c *co.Co) {
		fmt.Println("consumer: waiting")
		c.Await(ready)
		fmt.Println("consumer: got it")
	})
	if err := ex.Run(); err != nil {
		fmt.Println(err)
	}
	// Output:
	// consumer: waiting
	// producer: working
	// producer: notify
	// consumer: got it
}
