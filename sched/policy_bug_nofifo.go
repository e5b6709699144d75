//go:build copslab_bug_noboost && !copslab_bug_fifo

package sched

const copslabBugFIFO = false
