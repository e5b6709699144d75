package target

// QEMUOptions returns the options the target was opened with: the
// window's lesson panel boots its kernel lessons with the same ELF and
// board.
func (t *qemuTarget) QEMUOptions() QEMUOptions { return t.o }
