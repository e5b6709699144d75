package bench

// The paper's figures (COPS, CIT 2024), as summarised in the project's
// design notes. Its web server ran in QEMU (their N-extension fork, 4
// harts) for 5 s per point; only the end points of its latency curves
// (1 and 128 connections) and the 128-connection request counts are
// quoted, so only those are drawn beside ours.

// PaperPoint is one figure of the paper.
type PaperPoint struct {
	Form  string  // "coroutine" or "thread"
	Conns int     // connections
	Value float64 // in the unit of the series
}

// PaperWebMeanLatencyMS: mean latency in ms at 1 and 128 connections.
var PaperWebMeanLatencyMS = []PaperPoint{
	{"coroutine", 1, 0.38}, {"coroutine", 128, 1.6},
	{"thread", 1, 0.31}, {"thread", 128, 112.6},
}

// PaperWebRequests5s: requests served in 5 s at 128 connections.
var PaperWebRequests5s = []PaperPoint{{"coroutine", 128, 12471}, {"thread", 128, 1410}}

// PaperRingMS: the async pipe ring's time in ms at 16 and 512 stages.
var PaperRingMS = map[int]float64{16: 43, 512: 573}

// PaperPrioFPGA: 64 connections over 8 priorities on one core of the
// FPGA, mean latency in seconds of priority 0 and 7.
var PaperPrioFPGA = map[int]float64{0: 0.44, 7: 5.99}

// PaperMaxConns: the most connections each server sustained on the FPGA
// (memory-bound).
var PaperMaxConns = map[string]int{"coroutine": 385, "thread": 186}

// PaperRingPredecessorMS: the same ring on the paper's predecessor design.
var PaperRingPredecessorMS = map[int]float64{16: 202, 512: 5502}
