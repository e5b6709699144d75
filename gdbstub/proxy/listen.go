package proxy

import (
	"fmt"
	"net"
	"net/netip"
)

// CheckLoopback refuses a listen address that is not on the loopback
// interface, unless allowRemote is set: debug ports give full control of
// the target and must not be reachable from the network by accident.
// An empty host ("" or ":1234") means all interfaces and is refused too.
func CheckLoopback(addr string, allowRemote bool) error {
	if allowRemote {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.IsLoopback() {
		return fmt.Errorf("listen address %q is not loopback; pass --allow-remote to expose a debug port", addr)
	}
	return nil
}
