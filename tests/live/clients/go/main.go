// Command matrix_client runs the HTTP/2 client matrix's requests with Go's
// golang.org/x/net/http2 client, over h2c (prior knowledge) or TLS (ALPN h2), on one
// connection, and prints one JSON line per response for client_matrix_test.py to check.
//
// Usage: matrix_client -scheme http|https -port N -plan FILE [-timeout SECONDS]
//
// The plan is a JSON list of steps, run in order; the requests of one step are sent at the
// same time:
//
//	[{"name": "hello", "requests": [{"method": "GET", "path": "/hello/x"}]}, ...]
//
// A request may name a "body_file" whose bytes are its body.
package main

import (
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http2"
)

type request struct {
	Method   string `json:"method"`
	Path     string `json:"path"`
	BodyFile string `json:"body_file"`
	// ExpectContinue sends "expect: 100-continue" (the body follows at once: this client
	// does not wait for the 100).
	ExpectContinue bool `json:"expect_continue"`
}

type step struct {
	Name     string    `json:"name"`
	Requests []request `json:"requests"`
}

// result is one response as the test expects it from every client.
type result struct {
	Name       string              `json:"name"`
	Index      int                 `json:"index"`
	Error      string              `json:"error,omitempty"`
	Status     int                 `json:"status"`
	Protocol   string              `json:"protocol"`
	ALPN       string              `json:"alpn"`
	Headers    map[string][]string `json:"headers"`
	Trailers   map[string][]string `json:"trailers"`
	BodyLength int                 `json:"body_length"`
	BodySHA256 string              `json:"body_sha256"`
	Body       string              `json:"body"`
	LocalAddr  string              `json:"local_addr"`
	// Informational statuses (1xx) received before the final response.
	Informational []int `json:"informational"`
}

// lower gives the field names in lowercase, as HTTP/2 sends them (RFC 9113 §8.2.1); Go's
// client canonicalises them ("Content-Type") after checking they arrived in lowercase.
func lower(h http.Header) map[string][]string {
	out := map[string][]string{}
	for k, v := range h {
		out[strings.ToLower(k)] = v
	}
	return out
}

func transport(scheme string) *http2.Transport {
	if scheme == "https" {
		return &http2.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true,
			NextProtos: []string{"h2"}}}
	}
	// h2c with prior knowledge: a plain TCP connection where the transport expects TLS.
	return &http2.Transport{AllowHTTP: true,
		DialTLS: func(network, addr string, _ *tls.Config) (net.Conn, error) {
			return net.Dial(network, addr)
		}}
}

func do(client *http.Client, base, name string, index int, r request) result {
	res := result{Name: name, Index: index}
	var body io.Reader
	if r.BodyFile != "" {
		data, err := os.ReadFile(r.BodyFile)
		if err != nil {
			res.Error = err.Error()
			return res
		}
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(r.Method, base+r.Path, body)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	if r.ExpectContinue {
		req.Header.Set("Expect", "100-continue")
	}
	res.Informational = []int{}
	trace := &httptrace.ClientTrace{
		GotConn: func(info httptrace.GotConnInfo) {
			res.LocalAddr = info.Conn.LocalAddr().String()
		},
		Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
			res.Informational = append(res.Informational, code)
			return nil
		},
	}
	req = req.WithContext(httptrace.WithClientTrace(req.Context(), trace))
	resp, err := client.Do(req)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	sum := sha256.Sum256(data)
	res.Status = resp.StatusCode
	res.Protocol = fmt.Sprintf("%d", resp.ProtoMajor)
	if resp.TLS != nil {
		res.ALPN = resp.TLS.NegotiatedProtocol
	}
	res.Headers = lower(resp.Header)
	res.Trailers = lower(resp.Trailer) // complete once the body was read to its end
	res.BodyLength = len(data)
	res.BodySHA256 = hex.EncodeToString(sum[:])
	if len(data) <= 4096 {
		res.Body = string(data)
	}
	return res
}

func main() {
	scheme := flag.String("scheme", "http", "http (h2c) or https (TLS)")
	port := flag.Int("port", 0, "the server's port")
	planFile := flag.String("plan", "", "the plan (JSON)")
	timeout := flag.Float64("timeout", 30, "seconds for the whole run")
	flag.Parse()

	raw, err := os.ReadFile(*planFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var plan []step
	if err := json.Unmarshal(raw, &plan); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	client := &http.Client{Transport: transport(*scheme),
		Timeout: time.Duration(*timeout * float64(time.Second))}
	base := fmt.Sprintf("%s://127.0.0.1:%d", *scheme, *port)
	out := json.NewEncoder(os.Stdout)
	for _, s := range plan {
		results := make([]result, len(s.Requests))
		var wg sync.WaitGroup
		for i, r := range s.Requests {
			wg.Add(1)
			go func(i int, r request) {
				defer wg.Done()
				results[i] = do(client, base, s.Name, i, r)
			}(i, r)
		}
		wg.Wait()
		for _, r := range results {
			out.Encode(r)
		}
	}
}
