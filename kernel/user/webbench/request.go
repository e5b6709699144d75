package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// The protocol: a request is reqSize bytes (a sequence number and
// filler), a response respSize bytes (the sequence number and a digest
// of the request computed in work rounds). The client checks the digest,
// so a server cannot skip the work.
const (
	reqSize     = 64
	respSize    = 256
	defaultWork = 20
)

// conn is the server's end of one connection.
type conn struct {
	req  *os.File // requests from the client
	resp *os.File // responses to it
	prio uint8    // its priority (-prios), 0 best … 7
}

// defaultPrio is every connection's priority without -prios: the
// kernel's priority of a thread at nice 0, the clients' own.
const defaultPrio = 4

// handle answers requests on c until the client closes its request pipe.
func handle(c conn, work int) error {
	req := make([]byte, reqSize)
	resp := make([]byte, respSize)
	for {
		if _, err := io.ReadFull(c.req, req); err != nil {
			if errors.Is(err, io.EOF) {
				c.req.Close()
				return c.resp.Close()
			}
			return fmt.Errorf("reading a request: %w", err)
		}
		respond(req, resp, work)
		if _, err := c.resp.Write(resp); err != nil {
			return fmt.Errorf("writing a response: %w", err)
		}
	}
}

// respond fills resp for req: the sequence number, then the digest
// (FNV-1a over the request, work times) repeated over the body.
func respond(req, resp []byte, work int) {
	copy(resp[:8], req[:8])
	binary.LittleEndian.PutUint64(resp[8:16], digest(req, work))
	for i := 16; i < len(resp); i++ {
		resp[i] = resp[8+i%8]
	}
}

func digest(req []byte, work int) uint64 {
	h := uint64(14695981039346656037)
	for range work {
		for _, b := range req {
			h ^= uint64(b)
			h *= 1099511628211
		}
	}
	return h
}
