package proc

import "copslab/kernel/vm"

// The kernel runs in M-mode without translation, so it reaches user
// memory by walking the process's page table in software. Every page a
// copy touches must be mapped with U and the access's permission (or be
// faulted in from a reserved region); otherwise the copy stops with
// ErrFault and the system call returns EFAULT. The kernel never touches
// a user address directly.

// userPage returns the physical address of va's byte, checking that the
// page is a user page allowing acc (faulting it in if reserved).
func (s *Space) userPage(va uint64, acc Access) (uint64, error) {
	if va >= UserTop {
		return 0, ErrFault
	}
	pa, perm, ok := s.PT.Translate(va)
	if !ok {
		if err := s.Fault(va, acc); err != nil {
			return 0, ErrFault
		}
		pa, perm, ok = s.PT.Translate(va)
		if !ok {
			return 0, ErrFault
		}
	}
	if perm&vm.U == 0 || perm&acc.perm() == 0 {
		return 0, ErrFault
	}
	return pa, nil
}

// CopyIn fills dst from user memory at va.
func (s *Space) CopyIn(dst []byte, va uint64) error {
	for len(dst) > 0 {
		pa, err := s.userPage(va, Read)
		if err != nil {
			return err
		}
		n := min(uint64(len(dst)), PageSize-va%PageSize)
		copy(dst, s.phys.Bytes(pa, n))
		dst, va = dst[n:], va+n
	}
	return nil
}

// CopyOut writes src to user memory at va.
func (s *Space) CopyOut(va uint64, src []byte) error {
	for len(src) > 0 {
		pa, err := s.userPage(va, Write)
		if err != nil {
			return err
		}
		n := min(uint64(len(src)), PageSize-va%PageSize)
		copy(s.phys.Bytes(pa, n), src)
		src, va = src[n:], va+n
	}
	return nil
}

// CopyInString reads a NUL-terminated string of at most max bytes.
func (s *Space) CopyInString(va uint64, max int) (string, error) {
	var b []byte
	for len(b) < max {
		var c [1]byte
		if err := s.CopyIn(c[:], va); err != nil {
			return "", err
		}
		if c[0] == 0 {
			return string(b), nil
		}
		b, va = append(b, c[0]), va+1
	}
	return "", ErrFault
}

// poke writes src at va ignoring permissions (the loader filling
// read-only segments); the pages must be mapped.
func (s *Space) poke(va uint64, src []byte) error {
	for len(src) > 0 {
		pa, _, ok := s.PT.Translate(va)
		if !ok {
			return ErrFault
		}
		n := min(uint64(len(src)), PageSize-va%PageSize)
		copy(s.phys.Bytes(pa, n), src)
		src, va = src[n:], va+n
	}
	return nil
}
