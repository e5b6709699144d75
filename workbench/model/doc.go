// Package model is the workbench's picture of a COPS system: processes,
// coroutines, ready queues, harts, wakeups and user-interrupt chains, and
// the timeline of every state change. It is plain Go (no GUI, no cgo) and
// is fed in one direction: a target's trace events (Add) and snapshots
// (Sync) go in; views read Lanes, Chains, Flows and the system state at
// any instant (At) out.
//
// # Design
//
// Events are the source of truth for history; snapshots are keyframes.
// The model keeps the live Snapshot (Now) and applies each event to it with
// the scheduler's own rules (a Ready coroutine joins the tail of its
// process's FIFO at its priority, a fetch pops it, SetPrio moves a Ready
// coroutine to the tail of its new queue, a process's global priority is
// its best ready or current coroutine, or 0 while a user interrupt is
// pending: from its uintr-send until the handler has woken every raised
// request, counted by request id). A copy of the live state is kept every KeyEvery events and at
// each Sync, so the state at any instant t is the nearest keyframe before t
// plus at most KeyEvery replayed events: scrubbing is O(KeyEvery), not
// O(history).
//
// For drawing, every coroutine has a Lane: its state changes as (time,
// state) marks sorted by time, so a view finds the visible part with a
// binary search. Harts have lanes of (time, coroutine) marks.
//
// A Model is not safe for concurrent use: the workbench feeds and reads it
// on the UI goroutine only (see the gui package's single fyne.Do boundary).
package model
