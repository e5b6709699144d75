package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"syscall"
)

// threadPingPong bounces a token between two goroutines, each locked to
// its own thread, so every send hands the CPU to the other thread.
func threadPingPong(rounds int, start func()) error {
	ping, pong := make(chan int), make(chan int)
	done := make(chan error)
	go func() {
		runtime.LockOSThread()
		for v := range ping {
			pong <- v + 1
		}
		close(pong)
	}()
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		for i := -1; i < rounds; i++ { // round -1 warms up
			if i == 0 {
				start()
			}
			ping <- i
			if v := <-pong; v != i+1 {
				done <- fmt.Errorf("round %d: got %d", i, v)
				return
			}
		}
		close(ping)
		done <- nil
	}()
	return <-done
}

// processPingPong starts a copy of this program and bounces one byte
// through two blocking pipes (raw read/write, no Go netpoller in between).
func processPingPong(rounds int, start func()) error {
	var toChild, fromChild [2]int
	if err := syscall.Pipe2(toChild[:], syscall.O_CLOEXEC); err != nil {
		return err
	}
	if err := syscall.Pipe2(fromChild[:], syscall.O_CLOEXEC); err != nil {
		return err
	}
	cmd := exec.Command(os.Args[0], "child")
	cmd.Stdin = os.NewFile(uintptr(toChild[0]), "to-child")
	cmd.Stdout = os.NewFile(uintptr(fromChild[1]), "from-child")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	syscall.Close(toChild[0])
	syscall.Close(fromChild[1])
	b := []byte{0}
	for i := -1; i < rounds; i++ { // round -1 waits for the child to be up
		if i == 0 {
			start()
		}
		b[0] = byte(i)
		if _, err := syscall.Write(toChild[1], b); err != nil {
			return err
		}
		if n, err := syscall.Read(fromChild[0], b); n != 1 || err != nil || b[0] != byte(i)+1 {
			return fmt.Errorf("round %d: read %d %v %d", i, n, err, b[0])
		}
	}
	syscall.Close(toChild[1])
	err := cmd.Wait()
	syscall.Close(fromChild[0])
	return err
}

// echoChild answers each byte on stdin with byte+1 on stdout until EOF.
func echoChild() {
	b := []byte{0}
	for {
		n, err := syscall.Read(0, b)
		if n != 1 || err != nil {
			return
		}
		b[0]++
		if _, err := syscall.Write(1, b); err != nil {
			os.Exit(1)
		}
	}
}
