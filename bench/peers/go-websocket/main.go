// A WebSocket echo peer for bench/websocket.py: Go's golang.org/x/net/websocket (Debian's
// golang-golang-x-net-dev), built offline with GOPATH=/usr/share/gocode GO111MODULE=off.
// usage: go-websocket ADDR   (prints "listening PORT")
package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"

	"golang.org/x/net/websocket"
)

func main() {
	ln, err := net.Listen("tcp", os.Args[1])
	if err != nil {
		panic(err)
	}
	fmt.Printf("listening %d\n", ln.Addr().(*net.TCPAddr).Port)
	// websocket.Server without Handshake: no Origin check (websocket.Handler refuses clients
	// that send none, as bench/websocket.py).
	http.Handle("/ws/echo", websocket.Server{Handler: func(ws *websocket.Conn) { io.Copy(ws, ws) }})
	panic(http.Serve(ln, nil))
}
