package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
	"copslab/kernel/ustack"
)

// initStack lays out argc, argv, envp and the auxiliary vector below
// StackTop with kernel/ustack (K3; Linux's layout, checked there against
// qemu-user) and copies them into the stack pages. It returns the
// initial sp.
func (p *Proc) initStack(argv, env []string) (uint64, error) {
	var rnd [16]byte
	binary.LittleEndian.PutUint64(rnd[:], 0x9e3779b97f4a7c15^uint64(p.PID))
	binary.LittleEndian.PutUint64(rnd[8:], 0xbf58476d1ce4e5b9)
	var aux []ustack.AuxPair
	if p.vdsoVA != 0 { // first, as Linux's ARCH_DLINFO puts it
		aux = append(aux, ustack.AuxPair{Key: uabi.AT_SYSINFO_EHDR, Val: p.vdsoVA})
	}
	if p.cops != nil && p.cops.l != nil {
		aux = append(aux, ustack.AuxPair{Key: uabi.AT_COPS_LOCAL, Val: LocalVA})
	}
	aux = append(aux, ustack.AuxPair{Key: uabi.AT_PAGESZ, Val: PageSize})
	if im := p.Image; im != nil {
		if im.Phdr != 0 {
			aux = append(aux, ustack.AuxPair{Key: uabi.AT_PHDR, Val: im.Phdr},
				ustack.AuxPair{Key: uabi.AT_PHENT, Val: im.Phent}, ustack.AuxPair{Key: uabi.AT_PHNUM, Val: im.Phnum})
		}
		aux = append(aux, ustack.AuxPair{Key: uabi.AT_ENTRY, Val: im.Entry})
	}
	sp, image, err := ustack.Build(StackTop, argv, env, aux, rnd)
	if err != nil {
		return 0, err
	}
	if err := p.Space.CopyOut(sp, image); err != nil {
		return 0, err
	}
	return sp, nil
}
