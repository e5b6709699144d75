//go:build copslab

// Empty: its presence lets hw.go declare functions without bodies.
