package main

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// readmeGlobs are the READMEs whose Go blocks must build.
var readmeGlobs = []string{"README.md", "adapters/*/README.md", "plugins/otel/README.md", "cmd/*/README.md"}

// block is one ```go block of a README. How it is built depends on its kind, which an
// annotation on the line before the fence gives:
//
//	<!-- readme-check: file -->            a complete Go file (the default for a block starting with `package`)
//	<!-- readme-check: decls stubs=NAME -->  top-level declarations, imports optional
//	<!-- readme-check: body stubs=NAME -->   statements, as in a function body
//	<!-- readme-check: skip REASON -->       not built
//
// id=NAME names a block for other checks (the release check builds id=tour). decls and
// body blocks are built in package main with stubs/NAME.go, which declares what the
// fragment uses without showing it (ctx, Order, ...). Their imports are added for the
// package names they use: those stubs/NAME.go imports and the ones in defaultImports. A
// line holding only `...` stands for code left out of a function body and is built as
// panic("elided"); the variables a body block declares count as used.
type block struct {
	file  string // README, slash path relative to the root
	line  int    // line of the block's first line of code
	kind  string // file, decls, body or skip
	stubs string
	id    string
	code  []string
}

func (b block) name() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

// source is the block's code with elided lines made compilable.
func (b block) source() string {
	var s strings.Builder
	for _, l := range b.code {
		if strings.TrimSpace(l) == "..." {
			l = strings.Replace(l, "...", `panic("elided")`, 1)
		}
		s.WriteString(l)
		s.WriteByte('\n')
	}
	return s.String()
}

// defaultImports are the packages any decls or body block may use without importing them.
var defaultImports = map[string]string{
	"context":        "context",
	"errors":         "errors",
	"fmt":            "fmt",
	"os":             "os",
	"slog":           "log/slog",
	"strconv":        "strconv",
	"time":           "time",
	"lambda":         "github.com/aws/aws-lambda-go/lambda",
	"durable":        "github.com/durable-go/durable-go/core",
	"durabletest":    "github.com/durable-go/durable-go/core/durabletest",
	"logsink":        "github.com/durable-go/durable-go/core/logsink",
	"plugin":         "github.com/durable-go/durable-go/core/plugin",
	"protocol":       "github.com/durable-go/durable-go/core/protocol",
	"zapadapter":     "github.com/durable-go/durable-go/adapters/zap",
	"zerologadapter": "github.com/durable-go/durable-go/adapters/zerolog",
	"logrusadapter":  "github.com/durable-go/durable-go/adapters/logrus",
	"slogadapter":    "github.com/durable-go/durable-go/adapters/slog",
	"zap":            "go.uber.org/zap",
	"zapcore":        "go.uber.org/zap/zapcore",
	"zerolog":        "github.com/rs/zerolog",
	"logrus":         "github.com/sirupsen/logrus",
}

//go:embed stubs/*.go
var stubFS embed.FS

var (
	annotationRE = regexp.MustCompile(`^\s*<!--\s*readme-check:(.*?)-->\s*$`)
	fenceRE      = regexp.MustCompile("^\\s*```\\s*([A-Za-z0-9_+-]*)")
)

// parseBlocks returns the Go blocks of a README and what is wrong with their annotations.
func parseBlocks(file string, data []byte) ([]block, problems, error) {
	var (
		out     []block
		p       problems
		pending *block // annotation waiting for its block
		cur     *block
		lineNo  int
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		if cur != nil {
			if strings.TrimSpace(line) == "```" {
				if cur.kind == "" {
					cur.kind = "file"
					if !startsWithPackage(cur.code) {
						p.addf("%s:%d: Go block is not a complete file (no package clause); put <!-- readme-check: decls|body|skip ... --> on the line before it (RELEASING.md)", file, cur.line-1)
					}
				}
				out = append(out, *cur)
				cur = nil
			} else {
				cur.code = append(cur.code, line)
			}
			continue
		}
		if m := annotationRE.FindStringSubmatch(line); m != nil {
			b, err := parseAnnotation(m[1])
			if err != nil {
				p.addf("%s:%d: %v", file, lineNo, err)
				continue
			}
			pending = &b
			continue
		}
		if m := fenceRE.FindStringSubmatch(line); m != nil {
			if m[1] == "go" {
				b := block{}
				if pending != nil {
					b = *pending
				}
				b.file, b.line = file, lineNo+1
				cur, pending = &b, nil
				continue
			}
			// Skip a block in another language, annotation or not.
			if pending != nil {
				p.addf("%s:%d: readme-check annotation before a %q block, not a Go block", file, lineNo, m[1])
				pending = nil
			}
			for sc.Scan() {
				lineNo++
				if strings.TrimSpace(sc.Text()) == "```" {
					break
				}
			}
			continue
		}
		if pending != nil && strings.TrimSpace(line) != "" {
			p.addf("%s:%d: readme-check annotation not directly before a ```go block", file, lineNo-1)
			pending = nil
		}
	}
	if cur != nil {
		p.addf("%s: Go block is not closed", cur.name())
	}
	if err := sc.Err(); err != nil {
		return nil, nil, err
	}
	return out, p, nil
}

func parseAnnotation(s string) (block, error) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return block{}, fmt.Errorf("empty readme-check annotation")
	}
	b := block{kind: f[0]}
	switch b.kind {
	case "skip":
		return b, nil // the rest is the reason
	case "file", "decls", "body":
	default:
		return block{}, fmt.Errorf("readme-check: unknown kind %q (file, decls, body or skip)", b.kind)
	}
	for _, kv := range f[1:] {
		k, v, ok := strings.Cut(kv, "=")
		switch {
		case ok && k == "stubs" && b.kind != "file":
			if _, err := stubFS.Open("stubs/" + v + ".go"); err != nil {
				return block{}, fmt.Errorf("readme-check: no stubs/%s.go in tools/releasecheck", v)
			}
			b.stubs = v
		case ok && k == "id":
			b.id = v
		default:
			return block{}, fmt.Errorf("readme-check: unknown option %q for %s", kv, b.kind)
		}
	}
	return b, nil
}

func startsWithPackage(code []string) bool {
	for _, l := range code {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "//") {
			continue
		}
		return strings.HasPrefix(t, "package ")
	}
	return false
}

// readmes returns the Go blocks of every README readmeGlobs names.
func readmes(ws *workspace) ([]block, error) {
	var names []string
	for _, g := range readmeGlobs {
		m, err := filepath.Glob(filepath.Join(ws.root, filepath.FromSlash(g)))
		if err != nil {
			return nil, err
		}
		names = append(names, m...)
	}
	sort.Strings(names)
	var all []block
	var p problems
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		rel, _ := filepath.Rel(ws.root, n)
		bs, bp, err := parseBlocks(filepath.ToSlash(rel), data)
		if err != nil {
			return nil, err
		}
		p = append(p, bp...)
		all = append(all, bs...)
	}
	return all, p.err("README blocks")
}

// findBlock returns the block of a README with the given id.
func findBlock(ws *workspace, readme, id string) (block, error) {
	data, err := os.ReadFile(filepath.Join(ws.root, filepath.FromSlash(readme)))
	if err != nil {
		return block{}, err
	}
	bs, p, err := parseBlocks(readme, data)
	if err == nil {
		err = p.err("README blocks")
	}
	if err != nil {
		return block{}, err
	}
	for _, b := range bs {
		if b.id == id {
			return b, nil
		}
	}
	return block{}, fmt.Errorf("%s: no Go block annotated id=%s", readme, id)
}

// checkREADMEs builds every README Go block against the workspace's modules as they are
// on disk. A failure names the README, the block's line and the compiler's message,
// whose positions are README lines (the generated files carry //line directives).
func checkREADMEs(ws *workspace, out io.Writer) error {
	blocks, err := readmes(ws)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "readmecheck-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var work strings.Builder
	fmt.Fprintf(&work, "go %s\n\nuse (\n\t./blocks\n", ws.goVer)
	for _, m := range ws.modules {
		fmt.Fprintf(&work, "\t%s\n", strconv.Quote(filepath.ToSlash(ws.abs(m.dir))))
	}
	work.WriteString(")\n")
	if err := writeFile(filepath.Join(tmp, "go.work"), work.String()); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(tmp, "blocks", "go.mod"), fmt.Sprintf("module readmecheck\n\ngo %s\n", ws.goVer)); err != nil {
		return err
	}
	dirs := map[string]block{}
	built := 0
	for _, b := range blocks {
		if b.kind == "skip" {
			fmt.Fprintf(out, "skip %s\n", b.name())
			continue
		}
		dir := pkgDir(b)
		dirs[dir] = b
		files, err := generate(ws, b)
		if err != nil {
			return err
		}
		for name, src := range files {
			if err := writeFile(filepath.Join(tmp, "blocks", dir, name), src); err != nil {
				return err
			}
		}
		built++
	}
	env := append(os.Environ(), "GOWORK="+filepath.Join(tmp, "go.work"))
	if err := goCmd(filepath.Join(tmp, "blocks"), env, "build", "./..."); err != nil {
		msg := strings.ReplaceAll(err.Error(), ws.root+string(filepath.Separator), "")
		msg = strings.ReplaceAll(msg, filepath.Join(tmp, "blocks")+string(filepath.Separator), "(generated) ")
		var failed []string
		for dir, b := range dirs {
			if strings.Contains(msg, "# readmecheck/"+dir+"\n") {
				failed = append(failed, fmt.Sprintf("%s (%s block)", b.name(), b.kind))
			}
		}
		sort.Strings(failed)
		return fmt.Errorf("README Go blocks that do not build: %s\n%s", strings.Join(failed, ", "), msg)
	}
	fmt.Fprintf(out, "built %d README Go blocks\n", built)
	return nil
}

// pkgDir is the scratch package directory of a block: README path and line.
func pkgDir(b block) string {
	s := []byte(b.file)
	for i, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			s[i] = '_'
		}
	}
	return fmt.Sprintf("%s_L%d", s, b.line)
}

// generate returns the files of a block's package.
func generate(ws *workspace, b block) (map[string]string, error) {
	directive := fmt.Sprintf("//line %s:%d:1\n", filepath.Join(ws.root, filepath.FromSlash(b.file)), b.line)
	reset := "//line readmecheck-generated.go:1\n"
	code := b.source()
	if b.kind == "file" {
		return map[string]string{"block.go": directive + code}, nil
	}
	files := map[string]string{}
	candidates := map[string]string{}
	for n, p := range defaultImports {
		candidates[n] = p
	}
	stubDecls := map[string]bool{}
	if b.stubs != "" {
		src, err := stubFS.ReadFile("stubs/" + b.stubs + ".go")
		if err != nil {
			return nil, err
		}
		// The build constraint keeps the stubs out of this module's builds and go mod tidy.
		files["stubs.go"] = strings.Replace(string(src), "//go:build ignore\n", "", 1)
		f, err := parser.ParseFile(token.NewFileSet(), b.stubs+".go", src, 0)
		if err != nil {
			return nil, fmt.Errorf("tools/releasecheck/stubs/%s.go: %w", b.stubs, err)
		}
		for _, is := range f.Imports {
			p, _ := strconv.Unquote(is.Path.Value)
			candidates[importName(is, p)] = p
		}
		for name := range topLevelNames(f) {
			stubDecls[name] = true
		}
	}

	var src strings.Builder
	src.WriteString("package main\n\n")
	wrapped := "package main\n" + code
	if b.kind == "body" {
		wrapped = "package main\nfunc _() {\n" + code + "\n}\n"
	}
	var defined []string
	needMain := false
	f, perr := parser.ParseFile(token.NewFileSet(), b.name(), wrapped, 0)
	if perr == nil { // a syntax error is left to the compiler, which reports it at its README line
		declared := topLevelNames(f)
		local := definedNames(f)
		own := map[string]bool{}
		for _, is := range f.Imports {
			p, _ := strconv.Unquote(is.Path.Value)
			own[importName(is, p)] = true
		}
		var imports []string
		for name := range selectorNames(f) {
			p, ok := candidates[name]
			if ok && !own[name] && !declared[name] && !stubDecls[name] && !local[name] {
				imports = append(imports, strconv.Quote(p))
				if importName(nil, p) != name {
					imports[len(imports)-1] = name + " " + imports[len(imports)-1]
				}
			}
		}
		sort.Strings(imports)
		if len(imports) > 0 {
			fmt.Fprintf(&src, "import (\n\t%s\n)\n\n", strings.Join(imports, "\n\t"))
		}
		needMain = !declared["main"] && !stubDecls["main"]
		if b.kind == "body" {
			defined = bodyDefines(f)
		}
	}
	if b.kind == "body" {
		src.WriteString("func _() {\n" + directive + code + reset)
		for _, v := range defined {
			fmt.Fprintf(&src, "\t_ = %s\n", v)
		}
		src.WriteString("}\n")
	} else {
		src.WriteString(directive + code)
	}
	if needMain {
		src.WriteString(reset + "func main() {}\n")
	}
	files["block.go"] = src.String()
	return files, nil
}

// importName is the name an import declares: its alias, or the last element of its path
// that is not a major version.
func importName(is *ast.ImportSpec, path string) string {
	if is != nil && is.Name != nil {
		return is.Name.Name
	}
	elems := strings.Split(path, "/")
	name := elems[len(elems)-1]
	if len(elems) > 1 && regexp.MustCompile(`^v[0-9]+$`).MatchString(name) {
		name = elems[len(elems)-2]
	}
	return name
}

// selectorNames are the identifiers used as the left side of a selector (pkg.Name, v.Field).
func selectorNames(n ast.Node) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		if se, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := se.X.(*ast.Ident); ok {
				names[id.Name] = true
			}
		}
		return true
	})
	return names
}

// topLevelNames are the names a file declares at package level.
func topLevelNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names[d.Name.Name] = true
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names[n.Name] = true
					}
				case *ast.TypeSpec:
					names[s.Name.Name] = true
				}
			}
		}
	}
	return names
}

// definedNames are the names declared anywhere inside functions: variables, parameters, results.
func definedNames(f *ast.File) map[string]bool {
	names := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						names[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				names[id.Name] = true
			}
		case *ast.Field:
			for _, id := range n.Names {
				names[id.Name] = true
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok && n.Tok == token.DEFINE {
					names[id.Name] = true
				}
			}
		}
		return true
	})
	return names
}

// bodyDefines are the variables the statements of a body block declare at their top
// level, in order of first declaration.
func bodyDefines(f *ast.File) []string {
	var out []string
	seen := map[string]bool{"_": true}
	add := func(id *ast.Ident) {
		if !seen[id.Name] {
			seen[id.Name] = true
			out = append(out, id.Name)
		}
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		for _, st := range fd.Body.List {
			switch st := st.(type) {
			case *ast.AssignStmt:
				if st.Tok == token.DEFINE {
					for _, l := range st.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							add(id)
						}
					}
				}
			case *ast.DeclStmt:
				if gd, ok := st.Decl.(*ast.GenDecl); ok && gd.Tok == token.VAR {
					for _, s := range gd.Specs {
						for _, id := range s.(*ast.ValueSpec).Names {
							add(id)
						}
					}
				}
			}
		}
	}
	return out
}

// dropMain returns a Go file without its main function and the imports only main used.
func dropMain(name, src string) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	var main *ast.FuncDecl
	decls := f.Decls[:0]
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			main = fd
			continue
		}
		decls = append(decls, d)
	}
	if main == nil {
		return "", fmt.Errorf("%s: no func main", name)
	}
	f.Decls = decls
	start := main.Pos()
	if main.Doc != nil {
		start = main.Doc.Pos()
	}
	comments := f.Comments[:0]
	for _, c := range f.Comments {
		if c.End() < start || c.Pos() > main.End() {
			comments = append(comments, c)
		}
	}
	f.Comments = comments

	used := selectorNames(f)
	decls = f.Decls[:0]
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if ok && gd.Tok == token.IMPORT {
			specs := gd.Specs[:0]
			for _, s := range gd.Specs {
				is := s.(*ast.ImportSpec)
				p, _ := strconv.Unquote(is.Path.Value)
				if n := importName(is, p); used[n] || n == "_" || n == "." {
					specs = append(specs, s)
				}
			}
			gd.Specs = specs
			if len(specs) == 0 {
				continue
			}
		}
		decls = append(decls, d)
	}
	f.Decls = decls
	var buf bytes.Buffer
	if err := format.Node(&buf, fset, f); err != nil {
		return "", err
	}
	return buf.String(), nil
}
