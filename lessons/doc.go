// Package lessons will load guided lessons: declarative Markdown + YAML
// files whose steps check live kernel state. Lessons are data, never shell.
package lessons
