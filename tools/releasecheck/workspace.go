package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// workspace is the repository as go.work describes it.
type workspace struct {
	root    string // absolute
	goVer   string // go.work's go directive
	modules []*wsModule
	byPath  map[string]*wsModule
}

// wsModule is one workspace module.
type wsModule struct {
	dir  string // slash-separated, relative to the root ("adapters/zap")
	path string // module path
	file *modfile.File
	raw  []byte // go.mod as it is on disk
}

// notReleased lists the workspace modules no release tags: the runnable examples and this tool.
// Every other module in go.work is released, so a new module is covered once go.work uses it.
var notReleased = map[string]bool{"examples": true, "tools/releasecheck": true}

func loadWorkspace(root string) (*workspace, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(abs, "go.work"))
	if err != nil {
		return nil, err
	}
	wf, err := modfile.ParseWork("go.work", data, nil)
	if err != nil {
		return nil, err
	}
	ws := &workspace{root: abs, byPath: map[string]*wsModule{}}
	if wf.Go != nil {
		ws.goVer = wf.Go.Version
	}
	for _, u := range wf.Use {
		dir := path.Clean(filepath.ToSlash(u.Path))
		if path.IsAbs(dir) || strings.HasPrefix(dir, "../") {
			return nil, fmt.Errorf("go.work: use %s: modules must be inside the repository", u.Path)
		}
		name := filepath.Join(abs, filepath.FromSlash(dir), "go.mod")
		raw, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		f, err := modfile.Parse(dir+"/go.mod", raw, nil)
		if err != nil {
			return nil, err
		}
		if f.Module == nil {
			return nil, fmt.Errorf("%s/go.mod: no module directive", dir)
		}
		m := &wsModule{dir: dir, path: f.Module.Mod.Path, file: f, raw: raw}
		ws.modules = append(ws.modules, m)
		ws.byPath[m.path] = m
	}
	sort.Slice(ws.modules, func(i, j int) bool { return ws.modules[i].dir < ws.modules[j].dir })
	return ws, nil
}

func (ws *workspace) abs(dir string) string { return filepath.Join(ws.root, filepath.FromSlash(dir)) }

// released returns the modules a release tags, in go.work order of their directories.
func (ws *workspace) released() []*wsModule {
	var out []*wsModule
	for _, m := range ws.modules {
		if !notReleased[m.dir] {
			out = append(out, m)
		}
	}
	return out
}

// checkVersions verifies what lets a user depend on the modules: every requirement of a
// sibling names the same release version (want, or the one they agree on when want is
// empty), every such requirement has a development replace to the sibling's directory
// (all of them or, on a release commit, none), and every go.mod declares
// go.work's Go version. It returns the release version.
func checkVersions(ws *workspace, want string) (string, error) {
	var p problems
	if want != "" && (!semver.IsValid(want) || semver.Canonical(want) != want) {
		return "", fmt.Errorf("version %q is not a canonical semantic version (vX.Y.Z)", want)
	}
	versions := map[string][]string{} // version -> "module requires sibling"
	// Between releases every sibling requirement has its replace; on a release commit
	// (see release) no module replaces a sibling. A release commit is recognised by the
	// absence of any sibling replace, so a partial one reads as development and its
	// missing replaces are reported.
	development := false
	for _, m := range ws.modules {
		for _, r := range m.file.Replace {
			development = development || ws.byPath[r.Old.Path] != nil
		}
	}
	for _, m := range ws.modules {
		if m.file.Go == nil || m.file.Go.Version != ws.goVer {
			got := "none"
			if m.file.Go != nil {
				got = m.file.Go.Version
			}
			p.addf("%s/go.mod: go %s, go.work says go %s; declare the same Go version everywhere", m.dir, got, ws.goVer)
		}
		for _, r := range m.file.Require {
			sib, ok := ws.byPath[r.Mod.Path]
			if !ok {
				continue
			}
			versions[r.Mod.Version] = append(versions[r.Mod.Version], m.dir+" requires "+sib.dir)
			if development && !replacedToDir(m, sib) {
				p.addf("%s/go.mod: requires %s but has no `replace %s => %s` for development",
					m.dir, r.Mod.Path, r.Mod.Path, relDir(m.dir, sib.dir))
			}
		}
	}
	version := want
	if version == "" {
		if len(versions) == 1 {
			for v := range versions {
				version = v
			}
		} else if len(versions) == 0 {
			p.addf("no module requires a sibling; pass -version")
		}
	}
	vs := make([]string, 0, len(versions))
	for v := range versions {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	for _, v := range vs {
		if v != version {
			p.addf("sibling requirements must all name the release version %s; at %s: %s",
				orUnknown(version), v, strings.Join(versions[v], ", "))
		}
	}
	if version != "" && (!semver.IsValid(version) || semver.Canonical(version) != version) {
		p.addf("release version %s is not a canonical semantic version (vX.Y.Z); a tag must carry it", version)
	}
	if err := p.err("module versions"); err != nil {
		return "", err
	}
	return version, nil
}

func orUnknown(v string) string {
	if v == "" {
		return "(they disagree: run bump)"
	}
	return v
}

// replacedToDir reports whether m replaces sib, at every version, with sib's directory.
func replacedToDir(m, sib *wsModule) bool {
	for _, r := range m.file.Replace {
		if r.Old.Path != sib.path || r.Old.Version != "" || r.New.Version != "" {
			continue
		}
		if path.Clean(path.Join(m.dir, filepath.ToSlash(r.New.Path))) == sib.dir {
			return true
		}
	}
	return false
}

// relDir is the relative path from module directory from to module directory to.
func relDir(from, to string) string {
	rel, err := filepath.Rel(filepath.FromSlash(from), filepath.FromSlash(to))
	if err != nil {
		return to
	}
	rel = filepath.ToSlash(rel)
	if !strings.HasPrefix(rel, ".") {
		rel = "./" + rel
	}
	return rel
}

// bump sets every sibling requirement of every module to version; the replace lines stay.
func bump(ws *workspace, version string, out io.Writer) error {
	if version == "" {
		return errors.New("bump: no version")
	}
	return rewriteMods(ws, version, out, func(m *wsModule, f *modfile.File) (string, error) {
		return "siblings at " + version, nil
	})
}

// release prepares the release commit: every sibling requirement names version and no
// module replaces a sibling, so `go install pkg@version` accepts its go.mod. The modules no
// release tags lose their replaces too: go.work resolves the workspace modules wrongly
// when some go.mod files replace them and others do not.
func release(ws *workspace, version string, out io.Writer) error {
	if version == "" {
		return errors.New("release: no version")
	}
	return rewriteMods(ws, version, out, func(m *wsModule, f *modfile.File) (string, error) {
		return "siblings at " + version + ", no replace", dropSiblingReplaces(ws, f)
	})
}

// develop restores, after a release, the development replace of every sibling
// requirement (`replace <sibling> => <relative directory>`, what checkVersions expects),
// and sets the requirements to version unless it is empty.
func develop(ws *workspace, version string, out io.Writer) error {
	return rewriteMods(ws, version, out, func(m *wsModule, f *modfile.File) (string, error) {
		for _, r := range f.Require {
			sib, ok := ws.byPath[r.Mod.Path]
			if !ok || replacedToDir(&wsModule{dir: m.dir, file: f}, sib) {
				continue
			}
			if err := f.AddReplace(sib.path, "", relDir(m.dir, sib.dir), ""); err != nil {
				return "", err
			}
		}
		groupReplaces(f)
		f.SortBlocks()
		return "development replaces", nil
	})
}

// groupReplaces gathers the replace directives of f into one block, where
// modfile.AddReplace writes each added one as a statement of its own.
func groupReplaces(f *modfile.File) {
	var lines []*modfile.Line
	first := -1
	var stmts []modfile.Expr
	for _, stmt := range f.Syntax.Stmt {
		switch s := stmt.(type) {
		case *modfile.Line:
			if len(s.Token) > 0 && s.Token[0] == "replace" {
				s.Token, s.InBlock = s.Token[1:], true
				lines = append(lines, s)
				if first < 0 {
					first = len(stmts)
					stmts = append(stmts, nil)
				}
				continue
			}
		case *modfile.LineBlock:
			if len(s.Token) == 1 && s.Token[0] == "replace" {
				lines = append(lines, s.Line...)
				if first < 0 {
					first = len(stmts)
					stmts = append(stmts, nil)
				}
				continue
			}
		}
		stmts = append(stmts, stmt)
	}
	switch {
	case len(lines) == 0:
		return
	case len(lines) == 1:
		l := lines[0]
		l.Token, l.InBlock = append([]string{"replace"}, l.Token...), false
		stmts[first] = l
	default:
		stmts[first] = &modfile.LineBlock{Token: []string{"replace"}, Line: lines}
	}
	f.Syntax.Stmt = stmts
}

// dropSiblingReplaces removes every replace of a workspace module from f.
func dropSiblingReplaces(ws *workspace, f *modfile.File) error {
	for _, r := range append([]*modfile.Replace(nil), f.Replace...) {
		if _, ok := ws.byPath[r.Old.Path]; ok {
			if err := f.DropReplace(r.Old.Path, r.Old.Version); err != nil {
				return err
			}
		}
	}
	return nil
}

// releaseMod is m's go.mod as the release commit of version has it (see release).
func releaseMod(ws *workspace, m *wsModule, version string) ([]byte, error) {
	f, err := modfile.Parse(m.dir+"/go.mod", m.raw, nil)
	if err != nil {
		return nil, err
	}
	if err := setSiblings(ws, f, version); err != nil {
		return nil, err
	}
	if err := dropSiblingReplaces(ws, f); err != nil {
		return nil, err
	}
	f.Cleanup()
	return f.Format()
}

// setSiblings sets every sibling requirement in f to version.
func setSiblings(ws *workspace, f *modfile.File, version string) error {
	for _, r := range f.Require {
		if _, ok := ws.byPath[r.Mod.Path]; ok && r.Mod.Version != version {
			if err := f.AddRequire(r.Mod.Path, version); err != nil {
				return err
			}
		}
	}
	return nil
}

// rewriteMods sets the sibling requirements of every module to version (when not empty),
// applies edit and writes the go.mod files that changed, reporting each with edit's note.
func rewriteMods(ws *workspace, version string, out io.Writer, edit func(*wsModule, *modfile.File) (string, error)) error {
	if version != "" && (!semver.IsValid(version) || semver.Canonical(version) != version) {
		return fmt.Errorf("version %q is not a canonical semantic version (vX.Y.Z)", version)
	}
	for _, m := range ws.modules {
		f, err := modfile.Parse(m.dir+"/go.mod", m.raw, nil)
		if err != nil {
			return err
		}
		if version != "" {
			if err := setSiblings(ws, f, version); err != nil {
				return fmt.Errorf("%s/go.mod: %w", m.dir, err)
			}
		}
		note, err := edit(m, f)
		if err != nil {
			return fmt.Errorf("%s/go.mod: %w", m.dir, err)
		}
		f.Cleanup()
		data, err := f.Format()
		if err != nil {
			return fmt.Errorf("%s/go.mod: %w", m.dir, err)
		}
		if bytes.Equal(data, m.raw) {
			continue
		}
		if err := os.WriteFile(filepath.Join(ws.abs(m.dir), "go.mod"), data, 0o644); err != nil {
			return err
		}
		m.raw, m.file = data, f
		fmt.Fprintf(out, "%s/go.mod: %s\n", m.dir, note)
	}
	return nil
}
