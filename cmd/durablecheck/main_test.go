package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// app is a module with a durable handler that logs with slog and calls a
// helper, in another package, that reads the clock, and a main package
// that sets a function-valued field the handler's durable code calls.
var app = map[string]string{
	"go.mod": `module example.com/app

go 1.24.0

require github.com/durable-go/durable-go/core v0.0.0

replace github.com/durable-go/durable-go/core => ../sdk
`,
	"handler/handler.go": `package handler

import (
	"log/slog"

	durable "github.com/durable-go/durable-go/core"
	"example.com/app/clock"
	"example.com/app/obs"
)

func Process(ctx *durable.Context, id string) (string, error) {
	slog.Info("order received", "id", id)
	for k := range map[string]bool{id: true} {
		obs.Event(ctx, k)
	}
	return clock.Stamp(), nil
}
`,
	"obs/obs.go": `package obs

import durable "github.com/durable-go/durable-go/core"

func Event(ctx *durable.Context, what string) { ctx.Logger().Info(what) }
`,
	"handler/deps.go": `package handler

import (
	"time"

	durable "github.com/durable-go/durable-go/core"
)

type Deps struct{ Now func() time.Time }

func New(now func() time.Time) Deps { return Deps{Now: now} }

func (d Deps) Run(ctx *durable.Context, id string) (string, error) {
	return id + d.Now().String(), nil
}
`,
	"main.go": `package main

import (
	"time"

	"example.com/app/handler"
)

func main() { _, _ = handler.Deps{Now: time.Now}, handler.New(time.Now) }
`,
	"clock/clock.go": `package clock

import "time"

func Stamp() string { return time.Now().String() }
`,
}

// TestCommand builds durablecheck and runs it on app the three ways a
// user does: on its own, as a vet tool (facts travel between packages
// through files there), and with -fix.
func TestCommand(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "durablecheck")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	stub, err := os.ReadFile("analyzer/testdata/src/github.com/durable-go/durable-go/core/durable.go")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"sdk/go.mod": "module github.com/durable-go/durable-go/core\n\ngo 1.24.0\n", "sdk/durable.go": string(stub)}
	for name, content := range app {
		files["app/"+name] = content
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(wantFailure bool, args ...string) string {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = filepath.Join(dir, "app")
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=")
		out, err := cmd.CombinedOutput()
		if _, ok := err.(*exec.ExitError); !ok && err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		if wantFailure && err == nil {
			t.Errorf("%s succeeded; want a failing exit status for the findings", strings.Join(args, " "))
		}
		return string(out)
	}
	want := []string{
		"handler.go:12:2: logging: slog.Info in durable code prints again on every replay",
		"handler.go:16:9: nondeterminism: time.Now in durable code (via clock.Stamp) returns a different value on replay",
		// the facts of the field and of its constructor cross from package handler to main
		"main.go:9:40: nondeterminism: time.Now in durable code (set here as handler.Deps.Now, which handler.Deps.Run at deps.go:14 calls outside a step)",
		"main.go:9:63: nondeterminism: time.Now in durable code (set here as handler.Deps.Now, which handler.Deps.Run at deps.go:14 calls outside a step)",
	}
	for _, args := range [][]string{{bin, "./..."}, {"go", "vet", "-vettool=" + bin, "./..."}} {
		out := run(true, args...)
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", strings.Join(args, " "), w, out)
			}
		}
		if strings.Contains(out, "maprange") { // obs.Event runs no operation: its fact says so
			t.Errorf("%s: a map range calling obs.Event is reported:\n%s", strings.Join(args, " "), out)
		}
	}

	run(false, bin, "-fix", "./...")
	fixed, err := os.ReadFile(filepath.Join(dir, "app/handler/handler.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(fixed), `ctx.Logger().Info("order received", "id", id)`) || strings.Contains(string(fixed), `"log/slog"`) {
		t.Errorf("after -fix, handler.go reads:\n%s", fixed)
	}
}
