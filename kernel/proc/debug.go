package proc

// Poke writes src at va in the address space regardless of page
// permissions, as a debugger writes breakpoints into read-only text. The
// pages must be mapped (ErrFault otherwise).
func (s *Space) Poke(va uint64, src []byte) error { return s.poke(va, src) }
