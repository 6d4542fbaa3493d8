package main

import (
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
// empty), every such requirement has a development replace to the sibling's directory,
// and every go.mod declares go.work's Go version. It returns the release version.
func checkVersions(ws *workspace, want string) (string, error) {
	var p problems
	if want != "" && (!semver.IsValid(want) || semver.Canonical(want) != want) {
		return "", fmt.Errorf("version %q is not a canonical semantic version (vX.Y.Z)", want)
	}
	versions := map[string][]string{} // version -> "module requires sibling"
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
			if !replacedToDir(m, sib) {
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

// bump sets every sibling requirement of every module to version.
func bump(ws *workspace, version string, out io.Writer) error {
	if !semver.IsValid(version) || semver.Canonical(version) != version {
		return fmt.Errorf("version %q is not a canonical semantic version (vX.Y.Z)", version)
	}
	for _, m := range ws.modules {
		changed := false
		for _, r := range m.file.Require {
			if _, ok := ws.byPath[r.Mod.Path]; ok && r.Mod.Version != version {
				if err := m.file.AddRequire(r.Mod.Path, version); err != nil {
					return fmt.Errorf("%s/go.mod: %w", m.dir, err)
				}
				changed = true
			}
		}
		if !changed {
			continue
		}
		m.file.Cleanup()
		data, err := m.file.Format()
		if err != nil {
			return fmt.Errorf("%s/go.mod: %w", m.dir, err)
		}
		if err := os.WriteFile(filepath.Join(ws.abs(m.dir), "go.mod"), data, 0o644); err != nil {
			return err
		}
		m.raw = data
		fmt.Fprintf(out, "%s/go.mod: siblings at %s\n", m.dir, version)
	}
	return nil
}
