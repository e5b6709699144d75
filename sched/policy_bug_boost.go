//go:build copslab_bug_fifo && !copslab_bug_noboost

package sched

const copslabBugNoBoost = false
