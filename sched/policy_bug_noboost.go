//go:build copslab_bug_noboost

package sched

const copslabBugNoBoost = true
