//go:build copslab_bug_fifo || copslab_bug_noboost

package sched

// The deliberately wrong schedulers, for the lessons' test: build with
// -tags copslab_bug_fifo (ready queues ignore priority) or
// -tags copslab_bug_noboost (no priority-0 boost for a pending user
// interrupt). Never in a normal build. See policy.go.

const (
	bugFIFO    = copslabBugFIFO
	bugNoBoost = copslabBugNoBoost
)
