package target

import (
	"slices"

	"copslab/workbench/model"
)

// sortCos orders coroutines by id, as the model expects (the region lists
// them by slot, and ids carry a generation above the slot bits).
func sortCos(c []model.CoState) {
	slices.SortFunc(c, func(a, b model.CoState) int { return int(int64(a.ID) - int64(b.ID)) })
}
