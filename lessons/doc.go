// Package lessons holds the guided lessons: one Markdown file per lesson
// (front matter, text, a YAML block per step) and the scenarios they load
// (scenarios/*.yaml). The files are data, never code; they are embedded
// into copslab (FS) so the lessons work from any folder, and a teacher's
// folder (--lessons) replaces them without rebuilding. The format and
// every action and check: README.md; the loader and runner:
// workbench/lesson.
package lessons

import "embed"

// FS holds the lesson files and their scenarios.
//
//go:embed *.md scenarios/*.yaml
var FS embed.FS
