package cops

import "copslab/kernel/user/internal/schedops"

// Where the scheduler's code comes from (the second half of Source).
const (
	codeVDSO   = "scheduler code in the vDSO"
	codeDirect = "no copslab vDSO: the program's own copy of the scheduler code"
)

// vdsoOps returns the vDSO's operations, or the program's own when the
// process has no vDSO or one without the scheduler.
func vdsoOps() (schedops.Ops, string) {
	o, _, _, err := schedops.VDSO()
	if err != nil {
		return schedops.Direct, codeDirect
	}
	return o, codeVDSO
}
