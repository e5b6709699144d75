package rsp

// Named limits of the wire layer.
const (
	// MaxPayload bounds a received payload (after framing, before
	// decoding). Larger frames are reported as ErrTooLong and skipped.
	MaxPayload = 1 << 20

	// MaxExpanded bounds a payload after run-length expansion.
	MaxExpanded = 4 << 20

	// DefaultLogBytes is how much of a packet a wire log shows.
	DefaultLogBytes = 120
)
