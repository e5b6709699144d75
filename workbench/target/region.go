package target

import (
	"copslab/sched"
	"copslab/workbench/model"
)

// FromRegion converts a decoded scheduler region (sched.Decode of a raw
// dump, e.g. read by a debugger) into the model's snapshot at time now.
func FromRegion(s *sched.Snapshot, now uint64) *model.Snapshot { return convertSnapshot(s, now) }
