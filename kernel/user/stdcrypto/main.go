// Command stdcrypto is what a teacher's first web or hashing example
// imports: crypto/sha256, crypto/rand and net/http (with httptest to
// serve one request in memory, no sockets). Go links a 32 MiB buffer
// into .noptrbss of every such program, so it also checks that a
// kernel maps zero fill on first touch rather than up front:
//
//	stdcrypto: sha256("abc") = ba7816bf…
//	stdcrypto: 32 random bytes, not all zero
//	stdcrypto: GET /hello → 200 "hello, /hello"
//	stdcrypto: ok
package main

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
)

func main() {
	sum := sha256.Sum256([]byte("abc"))
	got := fmt.Sprintf("%x", sum)
	fmt.Printf("stdcrypto: sha256(\"abc\") = %s\n", got)
	if got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		fail("wrong digest")
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		fail("crypto/rand: %v", err)
	}
	if b == [32]byte{} {
		fail("crypto/rand gave 32 zero bytes")
	}
	fmt.Println("stdcrypto: 32 random bytes, not all zero")
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "hello, %s", r.URL.Path)
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/hello", nil))
	body, _ := io.ReadAll(rec.Result().Body)
	fmt.Printf("stdcrypto: GET /hello → %d %q\n", rec.Code, body)
	if rec.Code != http.StatusOK || string(body) != "hello, /hello" {
		fail("unexpected response")
	}
	fmt.Println("stdcrypto: ok")
}

func fail(format string, args ...any) {
	fmt.Printf("stdcrypto: FAIL: "+format+"\n", args...)
	os.Exit(1)
}
