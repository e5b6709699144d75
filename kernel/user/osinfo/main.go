// Command osinfo asks the operating system who and where it is, the way
// ordinary programs do (os.Hostname, os.Getwd, os.Executable, the user
// and group ids, the environment), one line each, and exits 1 if any
// call fails; each argument names one more variable to print
// (`osinfo GREETING` adds `osinfo: GREETING=hi`, the way a shell's
// `GREETING=hi osinfo GREETING` checks that assignments arrive):
//
//	osinfo: hostname copslab
//	osinfo: cwd /
//	osinfo: executable /bin/osinfo
//	osinfo: uid 0 gid 0 euid 0 egid 0
//	osinfo: PATH=/bin HOME=/ TERM=vt100
//	osinfo: GREETING=hi
//	osinfo: ok
package main

import (
	"fmt"
	"os"
)

func main() {
	failed := false
	check := func(what string, v string, err error) {
		if err != nil {
			fmt.Printf("osinfo: %s: FAIL: %v\n", what, err)
			failed = true
			return
		}
		fmt.Printf("osinfo: %s %s\n", what, v)
	}
	h, err := os.Hostname()
	check("hostname", h, err)
	wd, err := os.Getwd()
	check("cwd", wd, err)
	exe, err := os.Executable()
	check("executable", exe, err)
	ids := []int{os.Getuid(), os.Getgid(), os.Geteuid(), os.Getegid()}
	fmt.Printf("osinfo: uid %d gid %d euid %d egid %d\n", ids[0], ids[1], ids[2], ids[3])
	for _, id := range ids {
		if id < 0 {
			fmt.Println("osinfo: FAIL: negative id (the call failed)")
			failed = true
		}
	}
	fmt.Printf("osinfo: PATH=%s HOME=%s TERM=%s\n", os.Getenv("PATH"), os.Getenv("HOME"), os.Getenv("TERM"))
	if os.Getenv("PATH") == "" {
		fmt.Println("osinfo: FAIL: empty PATH")
		failed = true
	}
	for _, name := range os.Args[1:] {
		fmt.Printf("osinfo: %s=%s\n", name, os.Getenv(name))
	}
	if failed {
		os.Exit(1)
	}
	fmt.Println("osinfo: ok")
}
