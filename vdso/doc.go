// Package vdso will map the shared scheduler (package sched: its code and its
// shared region) into every user process, so that the kernel reads each
// process's best coroutine priority directly. See
// ../shared/notes/vdso-shared-code.md for the rules that code must follow.
// Not built yet: it follows the user-process issue.
package vdso
