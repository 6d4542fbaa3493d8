package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files (slash paths relative to root) under root.
func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		if err := writeFile(filepath.Join(root, filepath.FromSlash(name)), data); err != nil {
			t.Fatal(err)
		}
	}
}

func TestParseBlocksKindsLinesAndAnnotations(t *testing.T) {
	readme := "# x\n" + // 1
		"```go\n" + // 2
		"package main\n" + // 3
		"```\n" + // 4
		"<!-- readme-check: body stubs=process id=run -->\n" + // 5
		"```go\n" + // 6
		"x := 1\n" + // 7
		"```\n" + // 8
		"```sh\n" + // 9
		"go run .\n" + // 10
		"```\n" + // 11
		"<!-- readme-check: skip needs a real AWS account -->\n" + // 12
		"```go\n" + // 13
		"whatever()\n" + // 14
		"```\n" // 15
	bs, p, err := parseBlocks("README.md", []byte(readme))
	if err != nil || len(p) != 0 {
		t.Fatalf("parseBlocks: %v %v", err, p)
	}
	want := []struct {
		line            int
		kind, stubs, id string
		code            string
	}{
		{3, "file", "", "", "package main"},
		{7, "body", "process", "run", "x := 1"},
		{14, "skip", "", "", "whatever()"},
	}
	if len(bs) != len(want) {
		t.Fatalf("got %d blocks, want %d: %+v", len(bs), len(want), bs)
	}
	for i, w := range want {
		b := bs[i]
		if b.line != w.line || b.kind != w.kind || b.stubs != w.stubs || b.id != w.id || strings.Join(b.code, "\n") != w.code {
			t.Errorf("block %d = %+v, want %+v", i, b, w)
		}
	}
}

func TestParseBlocksRejectsWhatItCannotBuild(t *testing.T) {
	for _, tc := range []struct{ readme, want string }{
		{"text\n```go\nx := 1\n```\n", "README.md:2: Go block is not a complete file"},
		{"<!-- readme-check: body -->\n```sh\nls\n```\n", `README.md:2: readme-check annotation before a "sh" block`},
		{"<!-- readme-check: body -->\nprose\n```go\nx := 1\n```\n", "README.md:1: readme-check annotation not directly before"},
		{"<!-- readme-check: fragment -->\n```go\nx\n```\n", `unknown kind "fragment"`},
		{"<!-- readme-check: body stubs=nosuch -->\n```go\nx\n```\n", "no stubs/nosuch.go"},
		{"<!-- readme-check: file stubs=process -->\n```go\npackage p\n```\n", `unknown option "stubs=process" for file`},
		{"```go\npackage p\n", "README.md:2: Go block is not closed"},
	} {
		_, p, err := parseBlocks("README.md", []byte(tc.readme))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(p, "\n"); !strings.Contains(got, tc.want) {
			t.Errorf("README %q: problems %q, want one containing %q", tc.readme, got, tc.want)
		}
	}
}

// TestCheckREADMEs builds the blocks of a small repository: the good ones pass, and a
// failure names the README, the block's line and the compiler's message at its README line.
func TestCheckREADMEs(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	root := t.TempDir()
	good := "# lib\n" + // 1
		"```go\n" + // 2
		"package main\n" + // 3
		"\n" + // 4
		"import \"example.com/lib\"\n" + // 5
		"\n" + // 6
		"func main() { println(lib.Hello()) }\n" + // 7
		"```\n" + // 8
		"<!-- readme-check: body -->\n" + // 9
		"```go\n" + // 10
		"s := fmt.Sprint(time.Second) // unused, and imports added for fmt and time\n" + // 11
		"```\n" + // 12
		"<!-- readme-check: decls -->\n" + // 13
		"```go\n" + // 14
		"import \"example.com/lib\"\n" + // 15
		"\n" + // 16
		"func greet() string {\n" + // 17
		"\t_ = lib.Hello()\n" + // 18
		"\t...\n" + // 19
		"}\n" + // 20
		"```\n" // 21
	writeTree(t, root, map[string]string{
		"go.work":         "go 1.25.0\n\nuse ./lib\n",
		"lib/go.mod":      "module example.com/lib\n\ngo 1.25.0\n",
		"lib/lib.go":      "package lib\n\n// Hello greets.\nfunc Hello() string { return \"hello\" }\n",
		"README.md":       good,
		"adapters/a/x.go": "package x\n",
	})
	ws, err := loadWorkspace(root)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := checkREADMEs(ws, &out); err != nil {
		t.Fatalf("good README: %v", err)
	}
	if !strings.Contains(out.String(), "built 3 README Go blocks") {
		t.Errorf("output %q", out.String())
	}

	bad := strings.Replace(good, "_ = lib.Hello()", "_ = lib.Goodbye()", 1)
	if err := os.WriteFile(filepath.Join(root, "README.md"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	err = checkREADMEs(ws, &out)
	if err == nil {
		t.Fatal("a block calling an undefined function built")
	}
	for _, want := range []string{
		"README Go blocks that do not build: README.md:15 (decls block)",
		"README.md:18:",
		"undefined: lib.Goodbye",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not contain %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), root) {
		t.Errorf("error names the temporary root instead of the README's path:\n%v", err)
	}
}

func TestGenerateBody(t *testing.T) {
	b := block{file: "README.md", line: 10, kind: "body", stubs: "process",
		code: []string{"exec, err := durabletest.NewRunner(durable.Handler(process)).Run(ctx, Order{})", "_ = exec"}}
	ws := &workspace{root: "/repo"}
	files, err := generate(ws, b)
	if err != nil {
		t.Fatal(err)
	}
	src := files["block.go"]
	for _, want := range []string{
		`"github.com/durable-go/durable-go/core/durabletest"`,
		`durable "github.com/durable-go/durable-go/core"`,
		"//line /repo/README.md:10:1\nexec, err :=",
		"\t_ = exec\n\t_ = err\n",
		"func main() {}",
	} {
		if !strings.Contains(src, want) {
			t.Errorf("generated file lacks %q:\n%s", want, src)
		}
	}
	if strings.Contains(src, `"context"`) {
		t.Errorf("imports context, which only the stubs use:\n%s", src)
	}
	if !strings.Contains(files["stubs.go"], "func process(") || strings.Contains(files["stubs.go"], "go:build") {
		t.Errorf("stubs.go should be stubs/process.go without its build constraint:\n%s", files["stubs.go"])
	}
}

func TestDropMain(t *testing.T) {
	src := `package main

import (
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	durable "github.com/durable-go/durable-go/core"
	"go.uber.org/zap"
)

func process(ctx *durable.Context, o string) (string, error) {
	return o, durable.Wait(ctx, "w", time.Second)
}

// main starts Lambda.
func main() {
	z, _ := zap.NewProduction() // zap is only used here
	lambda.Start(durable.Handler(process, durable.WithLogger(nil)))
	_ = z
}
`
	got, err := dropMain("tour.go", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, gone := range []string{"func main", "zap", "lambda", "main starts Lambda"} {
		if strings.Contains(got, gone) {
			t.Errorf("result still contains %q:\n%s", gone, got)
		}
	}
	for _, kept := range []string{`"time"`, `durable "github.com/durable-go/durable-go/core"`, "func process("} {
		if !strings.Contains(got, kept) {
			t.Errorf("result lost %q:\n%s", kept, got)
		}
	}
	if _, err := dropMain("x.go", "package main\n\nfunc f() {}\n"); err == nil {
		t.Error("a file without main: no error")
	}
}
