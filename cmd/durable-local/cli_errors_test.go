package main

import (
	"bytes"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A command line mistake gets a message that names the mistake and what
// to do, and a non-zero exit status, before any function is started.
func TestCommandLineMistakesAreExplained(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "function")
	if err := os.WriteFile(notExec, []byte("not a program"), 0o644); err != nil {
		t.Fatal(err)
	}
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refusedURL := "http://" + refused.Addr().String()
	refused.Close()
	aFile := filepath.Join(dir, "a-file")
	if err := os.WriteFile(aFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"missing target", []string{"run", filepath.Join(dir, "missing")}, 1,
			[]string{"durable-local run: function missing: ", "no such file or directory", "want an executable function binary or a Go package directory"}},
		{"conformance outside the repository", []string{"conformance", "-source", filepath.Join(dir, "conformance")}, 1,
			[]string{"function conformance-function: ", "no such file or directory"}},
		{"file not executable", []string{"run", notExec}, 1,
			[]string{"is not executable (chmod +x it, or give its Go package directory)"}},
		{"input not JSON", []string{"run", notExec, "{order"}, 2, []string{`input "{order" is not JSON`}},
		{"port in use", []string{"serve", "-addr", busy.Addr().String()}, 1,
			[]string{"address already in use", "choose another address with -addr"}},
		{"data is a file", []string{"serve", "-addr", "127.0.0.1:0", "-data", aFile}, 1,
			[]string{"durable-local serve: -data " + aFile + ": "}},
		{"no server", []string{"list", "-endpoint", refusedURL, "-function", "f"}, 1,
			[]string{"connection refused", "start one with 'durable-local serve', or name its URL with -endpoint or AWS_ENDPOINT_URL_LAMBDA"}},
		{"bad -f", []string{"run", "-f", "orders", notExec}, 2, []string{"want name=binary or name=./go/package"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, &stdout, &stderr)
			if code != c.code {
				t.Errorf("exit status %d, want %d", code, c.code)
			}
			for _, w := range c.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
			if strings.Contains(stderr.String(), ": durable-local: ") {
				t.Errorf("stderr names the program twice:\n%s", stderr.String())
			}
		})
	}
}
