//go:build copslab_bug_fifo

package sched

const copslabBugFIFO = true
