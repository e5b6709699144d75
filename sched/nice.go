package sched

// PrioOfNice maps a Unix nice value (setpriority, nice: -20 highest ..
// 19 lowest) onto the scheduler's priorities 0..7, so a process made of
// threads only gets a global priority from its threads: five nice values
// per priority, nice -20..-16 → 0, -15..-11 → 1, …, 0..4 → 4 (the default
// nice 0 is priority 4), …, 15..19 → 7. Values outside -20..19 are
// clamped, as setpriority does. This is the one place the mapping is
// decided (sched/executor's README: how the kernel gives a thread-only
// process a local priority).
func PrioOfNice(nice int) uint8 {
	nice = min(max(nice, -20), 19)
	return uint8((nice + 20) / 5)
}
