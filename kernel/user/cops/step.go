package cops

// Step-function coroutines: the explicit-state-machine form. The body is
// called every time the coroutine is fetched; it keeps its state in its
// own variables (a closure or a struct) and returns what it wants next.
// No stack is kept between calls, so resuming one is a plain call.

// Action is what a step function asks for when it returns.
type Action struct {
	kind uint8
	ev   *Event
}

const (
	actYield uint8 = iota
	actDone
	actAwait
)

// Yield: run again after the other ready coroutines of this priority.
var Yield = Action{kind: actYield}

// Done: the coroutine has finished (it exits).
var Done = Action{kind: actDone}

// Await: block until ev fires. If it already has, the firing is consumed
// and the coroutine yields instead.
func Await(ev *Event) Action { return Action{kind: actAwait, ev: ev} }

// SpawnStep creates a step-function coroutine at priority prio.
func (ex *Executor) SpawnStep(prio uint8, step func(*Co) Action) (*Co, error) {
	c, err := ex.spawn(prio)
	if err != nil {
		return nil, err
	}
	c.step = step
	return c, nil
}

// stepBack records why a step function came back, when it did not
// yield (Run handles a yield itself).
func (c *Co) stepBack(a Action) {
	switch a.kind {
	case actDone:
		c.back = backDone
	case actAwait:
		if c.block(a.ev) {
			c.back = backBlocked
		}
	}
}
