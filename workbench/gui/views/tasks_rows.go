package views

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"copslab/sched"
	"copslab/workbench/model"
)

// TaskColumns are the task table's columns.
var TaskColumns = []string{"ID", "Process", "Name", "Kind", "Prio", "State", "In state", "Switches"}

// TaskRow is one coroutine as the task table shows it.
type TaskRow struct {
	ID       uint32
	Process  string
	Name     string
	Kind     sched.Kind
	Prio     uint8
	State    sched.State
	InState  uint64
	Switches int
}

// Cells returns the row's text per column.
func (r *TaskRow) Cells() []string {
	return []string{
		fmt.Sprint(r.ID), r.Process, r.Name, r.Kind.String(), fmt.Sprint(r.Prio),
		r.State.String(), fmtDur(r.InState), fmt.Sprint(r.Switches),
	}
}

// TaskRows builds the task table's rows for state s at time now: rows
// whose cells contain filter (case-insensitive; "" keeps all), sorted by
// column col (descending if desc), ties by id.
func TaskRows(s *model.Snapshot, now uint64, filter string, col int, desc bool) []TaskRow {
	filter = strings.ToLower(strings.TrimSpace(filter))
	var rows []TaskRow
	for _, c := range s.Cos {
		pn := fmt.Sprintf("p%d", c.Proc)
		if p := s.Proc(c.Proc); p != nil && p.Name != "" {
			pn = p.Name
		}
		r := TaskRow{ID: c.ID, Process: pn, Name: c.Name, Kind: c.Kind, Prio: c.Prio, State: c.State, Switches: c.Switches}
		if now > c.Since {
			r.InState = now - c.Since
		}
		if filter != "" && !strings.Contains(strings.ToLower(strings.Join(r.Cells(), " ")), filter) {
			continue
		}
		rows = append(rows, r)
	}
	slices.SortStableFunc(rows, func(a, b TaskRow) int {
		c := compareCol(&a, &b, col)
		if desc {
			c = -c
		}
		return cmp.Or(c, cmp.Compare(a.ID, b.ID))
	})
	return rows
}

func compareCol(a, b *TaskRow, col int) int {
	switch col {
	case 1:
		return strings.Compare(a.Process, b.Process)
	case 2:
		return strings.Compare(a.Name, b.Name)
	case 3:
		return cmp.Compare(a.Kind, b.Kind)
	case 4:
		return cmp.Compare(a.Prio, b.Prio)
	case 5:
		return cmp.Compare(a.State, b.State)
	case 6:
		return cmp.Compare(a.InState, b.InState)
	case 7:
		return cmp.Compare(a.Switches, b.Switches)
	}
	return cmp.Compare(a.ID, b.ID)
}
