package proc

import (
	"encoding/binary"

	"copslab/kernel/uabi"
)

// initStack lays out argc, argv, envp and auxv at the top of the stack as
// Linux does for a static executable (System V psABI for RISC-V):
//
//	sp → argc, argv[0..n-1], NULL, envp NULL, auxv pairs, AT_NULL
//	     ... 16 random bytes (AT_RANDOM), the argument strings
//
// It returns the initial sp (16-byte aligned).
// TODO: replace with K3's kernel/ustack once it is committed.
func (p *Proc) initStack(argv []string) (uint64, error) {
	top := uint64(StackTop)
	var strs []uint64
	for _, a := range argv {
		top -= uint64(len(a) + 1)
		if err := p.Space.CopyOut(top, append([]byte(a), 0)); err != nil {
			return 0, err
		}
		strs = append(strs, top)
	}
	top = (top - 16) &^ 15
	random := top
	var rnd [16]byte
	binary.LittleEndian.PutUint64(rnd[:], 0x9e3779b97f4a7c15^uint64(p.PID))
	binary.LittleEndian.PutUint64(rnd[8:], 0xbf58476d1ce4e5b9)
	if err := p.Space.CopyOut(random, rnd[:]); err != nil {
		return 0, err
	}
	words := []uint64{uint64(len(argv))}
	words = append(words, strs...)
	words = append(words, 0, 0) // argv NULL, envp NULL
	aux := [][2]uint64{{uabi.AT_PAGESZ, PageSize}, {uabi.AT_RANDOM, random}}
	if im := p.Image; im != nil && im.Phdr != 0 {
		aux = append(aux, [2]uint64{uabi.AT_PHDR, im.Phdr}, [2]uint64{uabi.AT_PHENT, im.Phent},
			[2]uint64{uabi.AT_PHNUM, im.Phnum}, [2]uint64{uabi.AT_ENTRY, im.Entry})
	}
	for _, kv := range aux {
		words = append(words, kv[0], kv[1])
	}
	words = append(words, uabi.AT_NULL, 0)
	sp := (top - 8*uint64(len(words))) &^ 15
	b := make([]byte, 0, 8*len(words))
	for _, w := range words {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	if err := p.Space.CopyOut(sp, b); err != nil {
		return 0, err
	}
	return sp, nil
}
