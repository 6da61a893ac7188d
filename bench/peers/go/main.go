// Go peer: net/http, with http.Pusher for server push.
//
//	-port: h2c prior knowledge (golang.org/x/net/http2/h2c: net/http has no cleartext
//	       HTTP/2 before Go 1.24); Debian's golang-golang-x-net-dev, GOPATH mode.
//	-port+1: TLS with ALPN h2 (net/http's bundled HTTP/2).
//
// / and /index.html push the four assets, then serve index.html.
package main

import (
	"crypto/tls"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/h2c"
)

var pushPaths = []string{"/style.css", "/app.js", "/img1.png", "/img2.png"}

func main() {
	site := flag.String("site", "", "document root")
	bind := flag.String("bind", "127.0.0.1", "listen address")
	port := flag.Int("port", 18130, "h2c port; TLS listens on port+1")
	cert := flag.String("cert", "", "certificate (PEM)")
	key := flag.String("key", "", "private key (PEM)")
	flag.Parse()

	files := http.FileServer(http.Dir(*site))
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("Hello world!"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" && r.URL.Path != "/index.html" {
			files.ServeHTTP(w, r)
			return
		}
		if pusher, ok := w.(http.Pusher); ok {
			for _, p := range pushPaths {
				// An error means the client disabled push: serve the page alone.
				if pusher.Push(p, nil) != nil {
					break
				}
			}
		}
		f, err := os.Open(filepath.Join(*site, "index.html"))
		if err != nil {
			http.Error(w, "no index.html", http.StatusInternalServerError)
			return
		}
		defer f.Close()
		st, _ := f.Stat()
		// ServeContent, not ServeFile, which redirects /index.html to /.
		http.ServeContent(w, r, "index.html", st.ModTime(), f)
	})

	addr := func(p int) string { return net.JoinHostPort(*bind, strconv.Itoa(p)) }
	cleartext := &http.Server{Addr: addr(*port), Handler: h2c.NewHandler(mux, &http2.Server{})}
	secure := &http.Server{Addr: addr(*port + 1), Handler: mux,
		TLSConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
	errs := make(chan error, 2)
	go func() { errs <- cleartext.ListenAndServe() }()
	go func() { errs <- secure.ListenAndServeTLS(*cert, *key) }()
	log.Fatal(<-errs)
}
