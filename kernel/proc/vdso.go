package proc

import (
	"fmt"

	"copslab/kernel/vm"
)

// The vDSO (package copslab/vdso): the same frames in every process,
// mapped with MapShared when the process is set up (new and execve; fork
// shares them through Clone) and announced with AT_SYSINFO_EHDR, so the
// Go runtime calls __vdso_clock_gettime instead of trapping.
//
//	VDSOBase                 the ELF image, read+execute (Code frames)
//	VDSOBase + len(Code)×4K  the data page, read-only (Data frame)
//
// It sits one guard page above the main stack, below the sigreturn
// trampoline: in the page tables the stack top already needs, so a
// process pays no frame for it.

// VDSOBase is where every process sees the vDSO's ELF header.
const VDSOBase = StackTop + PageSize

// VDSO names the kernel's vDSO frames.
type VDSO struct {
	Code []uint64 // frames holding the image, in order
	Data uint64   // the data page's frame
	// UintrHandler is the offset of __vdso_cops_uintr_handler from the
	// image's start (0: the image has none).
	UintrHandler uint64
}

// vdso is set once by the kernel before it starts the first process
// (SetVDSO); nil: processes get no vDSO.
var vdso *VDSO

// SetVDSO makes every process set up from now on map v. It fails if v
// does not fit between the stack and the trampoline.
func SetVDSO(v *VDSO) error {
	if v != nil && (len(v.Code) == 0 || VDSOBase+uint64(len(v.Code)+1)*PageSize > LocalVA-PageSize) {
		return fmt.Errorf("proc: a vDSO of %d pages does not fit below the scheduler's pages", len(v.Code))
	}
	vdso = v
	return nil
}

// mapVDSO maps the vDSO, if there is one, and reports its address (0:
// none).
func (p *Proc) mapVDSO() (uint64, error) {
	if vdso == nil {
		return 0, nil
	}
	va := uint64(VDSOBase)
	for _, pa := range vdso.Code {
		if err := p.Space.MapShared(va, pa, PageSize, vm.R|vm.X); err != nil {
			return 0, err
		}
		va += PageSize
	}
	if err := p.Space.MapShared(va, vdso.Data, PageSize, vm.R); err != nil {
		return 0, err
	}
	return VDSOBase, nil
}
