package proxy

import (
	"errors"
	"net"
	"syscall"
	"time"

	"copslab/gdbstub/rsp"
)

// RefuseFor bounds how long a refused gdb is answered before the proxy
// hangs up on it (gdb gives up after two or three error replies).
const RefuseFor = 10 * time.Second

// refuse answers every packet gdb sends with "E." and msg, the error
// form gdb prints as text ("Remote failure reply: E.…"), until gdb hangs
// up or RefuseFor has passed, then closes the connection. Used when no
// target is reachable and when another gdb holds the session: gdb learns
// why at once instead of seeing a reset or a stalled handshake.
func refuse(gdb net.Conn, msg string) {
	defer gdb.Close()
	gdb.SetDeadline(time.Now().Add(RefuseFor))
	c := rsp.NewConn(gdb, nil)
	reply := append([]byte("E."), msg...)
	for {
		it, err := c.Read()
		if err != nil {
			return
		}
		if it.Kind != rsp.KindPacket {
			continue
		}
		if c.WriteAck() != nil || c.WritePacket(reply) != nil {
			return
		}
	}
}

// cause returns the innermost readable reason of a dial error
// ("connection refused" rather than the whole dial chain).
func cause(err error) error {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err
	}
	return err
}
