package delve

// This file is the one place that names what the driver looks for in the
// debuggee: the scheduler functions offered as breakpoints, the function
// "step into the next decision" stops in, and the debuggee's variables.
// Functions are named without package or receiver; Start resolves each
// against the binary's symbol table (any receiver in package sched), so a
// method that moves to another receiver type still resolves, and a name
// that no longer exists is reported in Session.Missing instead of failing.

// SchedPkg is the import path of the scheduler package.
const SchedPkg = "copslab/sched"

// Funcs are the scheduler operations offered as breakpoints, in the order
// the source pane lists them.
var Funcs = []string{
	"HighestProcMask", "Spawn", "Fetch", "Yield", "Block", "Wake",
	"SetPrio", "Suspend", "Resume", "Exit", "RunOn", "Leave", "SetUintr",
}

// HostReceiver is the type that composes the shared parts for the host
// (sandbox, tests): its methods wrap the shared operations of the same
// name. When a name resolves both to a HostReceiver method and to another
// receiver's, only the other (the code the kernel and the processes run)
// gets the breakpoint, so an operation stops once, not twice.
const HostReceiver = "Region"

// DecisionFunc is where the kernel picks the next process: "step into the
// next decision" stops at its first call in that decision.
const DecisionFunc = "HighestProcMask"

// The debuggee's package variables and hooks (workbench/delve/debuggee).
const (
	debuggeePkg     = "copslab/workbench/delve/debuggee"
	varRegionAddr   = "main.regionAddr"
	varRegionLen    = "main.regionLen"
	varDecision     = "main.decision"
	varClock        = "main.clock"
	varNextSeq      = "main.nextSeq"
	varStopEvent    = "main.stopEvent"
	varStopDecision = "main.stopDecision"
	varStopTime     = "main.stopTime"
	fnArrived       = "main.arrived"
)
