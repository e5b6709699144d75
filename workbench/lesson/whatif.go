package lesson

import "errors"

// WhatIf replays the run with a change (see Replay).
type WhatIf struct {
	Line int
}

func (w *WhatIf) validate() error { return errAt(w.Line, "whatif is not available yet") }

// Run replays s's scenario with the change.
func (w *WhatIf) Run(s *Session) error { return errors.New("whatif: not implemented") }
