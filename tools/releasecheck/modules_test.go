package main

import (
	"archive/zip"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// smallRepo is a workspace of two modules: b requires a at v0.1.0 through a development
// replace, and examples (not released) requires both.
func smallRepo() map[string]string {
	return map[string]string{
		"go.work":  "go 1.25.0\n\nuse (\n\t./a\n\t./b\n\t./examples\n)\n",
		"LICENSE":  "the license\n",
		"a/go.mod": "module example.com/r/a\n\ngo 1.25.0\n",
		"a/a.go":   "// Package a says hello.\npackage a\n\n// Hello greets.\nfunc Hello() string { return \"hello\" }\n",
		"b/go.mod": "module example.com/r/b\n\ngo 1.25.0\n\nrequire example.com/r/a v0.1.0\n\nreplace example.com/r/a => ../a\n",
		"b/b.go":   "// Package b greets twice.\npackage b\n\nimport \"example.com/r/a\"\n\n// Twice greets twice.\nfunc Twice() string { return a.Hello() + a.Hello() }\n",
		"examples/go.mod": "module example.com/r/examples\n\ngo 1.25.0\n\nrequire (\n\texample.com/r/a v0.1.0\n\texample.com/r/b v0.1.0\n)\n\n" +
			"replace (\n\texample.com/r/a => ../a\n\texample.com/r/b => ../b\n)\n",
	}
}

func loadRepo(t *testing.T, files map[string]string) *workspace {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, files)
	ws, err := loadWorkspace(root)
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestCheckVersions(t *testing.T) {
	v, err := checkVersions(loadRepo(t, smallRepo()), "")
	if err != nil || v != "v0.1.0" {
		t.Fatalf("checkVersions = %q, %v; want v0.1.0", v, err)
	}
	if _, err := checkVersions(loadRepo(t, smallRepo()), "v0.2.0"); err == nil ||
		!strings.Contains(err.Error(), "must all name the release version v0.2.0; at v0.1.0: b requires a, examples requires a, examples requires b") {
		t.Errorf("-version v0.2.0 against v0.1.0 requirements: %v", err)
	}

	for name, tc := range map[string]struct {
		file, from, to, want string
	}{
		"zero version": {"b/go.mod", "example.com/r/a v0.1.0", "example.com/r/a v0.0.0",
			"at v0.0.0: b requires a"},
		"one replace missing": {"examples/go.mod", "\texample.com/r/a => ../a\n", "",
			"examples/go.mod: requires example.com/r/a but has no `replace example.com/r/a => ../a` for development"},
		"replace elsewhere": {"b/go.mod", "=> ../a", "=> ../../a",
			"b/go.mod: requires example.com/r/a but has no `replace"},
		"go version": {"a/go.mod", "go 1.25.0", "go 1.24.0",
			"a/go.mod: go 1.24.0, go.work says go 1.25.0"},
	} {
		files := smallRepo()
		files[tc.file] = strings.Replace(files[tc.file], tc.from, tc.to, 1)
		_, err := checkVersions(loadRepo(t, files), "")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", name, err, tc.want)
		}
	}
}

func TestBump(t *testing.T) {
	ws := loadRepo(t, smallRepo())
	var out bytes.Buffer
	if err := bump(ws, "v0.2.0", &out); err != nil {
		t.Fatal(err)
	}
	ws, err := loadWorkspace(ws.root)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := checkVersions(ws, ""); err != nil || v != "v0.2.0" {
		t.Fatalf("after bump: %q, %v", v, err)
	}
	b, _ := os.ReadFile(filepath.Join(ws.root, "b", "go.mod"))
	if !strings.Contains(string(b), "replace example.com/r/a => ../a") {
		t.Errorf("bump lost the development replace:\n%s", b)
	}
	if err := bump(ws, "0.3", &out); err == nil {
		t.Error("bump 0.3: no error")
	}
}

func gitInit(t *testing.T, dir string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
}

// TestPackAndConsume packs the released modules of a small repository into a module proxy
// and builds a module that requires b at the release version from that proxy alone.
func TestPackAndConsume(t *testing.T) {
	files := smallRepo()
	files[".gitignore"] = "*.out\n"
	files["a/junk.out"] = "ignored by git"
	files["a/sub/go.mod"] = "module example.com/r/a/sub\n\ngo 1.25.0\n"
	files["a/sub/sub.go"] = "package sub\n"
	ws := loadRepo(t, files)
	gitInit(t, ws.root)

	rel := ws.released()
	if len(rel) != 2 || rel[0].dir != "a" || rel[1].dir != "b" {
		t.Fatalf("released %v, want a and b (not examples)", rel)
	}
	proxy := filepath.Join(t.TempDir(), "proxy")
	for _, m := range rel {
		gomod, err := releaseMod(ws, m, "v0.1.0")
		if err != nil {
			t.Fatal(err)
		}
		if err := writeProxyVersion(proxy, ws, m, "v0.1.0", gomod, time.Unix(0, 0)); err != nil {
			t.Fatal(err)
		}
	}
	zr, err := zip.OpenReader(filepath.Join(proxy, "example.com", "r", "a", "@v", "v0.1.0.zip"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	sort.Strings(names)
	if want := "example.com/r/a@v0.1.0/LICENSE example.com/r/a@v0.1.0/a.go example.com/r/a@v0.1.0/go.mod"; strings.Join(names, " ") != want {
		t.Errorf("a's zip holds %v, want %s (no ignored file, no nested module, the root LICENSE)", names, want)
	}
	for _, name := range []string{"list", "v0.1.0.info", "v0.1.0.mod"} {
		if _, err := os.Stat(filepath.Join(proxy, "example.com", "r", "b", "@v", name)); err != nil {
			t.Error(err)
		}
	}

	consumer := t.TempDir()
	writeTree(t, consumer, map[string]string{
		"go.mod":  "module example.com/consumer\n\ngo 1.25.0\n\nrequire example.com/r/b v0.1.0\n",
		"main.go": "package main\n\nimport \"example.com/r/b\"\n\nfunc main() { println(b.Twice()) }\n",
	})
	modcache := filepath.Join(t.TempDir(), "modcache")
	t.Cleanup(func() { removeAll(modcache) }) // the go command writes it read-only
	env, err := consumerEnv(proxy, modcache)
	if err != nil {
		t.Fatal(err)
	}
	env = append(env, "GOPROXY="+fileURL(proxy)+",off", "GONOSUMDB=example.com") // offline: the proxy alone
	if err := goCmd(consumer, env, "build", "./..."); err != nil {
		t.Fatalf("consuming b from the proxy: %v", err)
	}

	// A requirement of a version the proxy does not hold fails the build.
	writeTree(t, consumer, map[string]string{"go.mod": "module example.com/consumer\n\ngo 1.25.0\n\nrequire example.com/r/b v0.2.0\n"})
	if err := goCmd(consumer, env, "build", "./..."); err == nil || !strings.Contains(err.Error(), "v0.2.0") {
		t.Errorf("b v0.2.0 is not in the proxy, yet: %v", err)
	}
}

func TestCheckBootstrapRejectsOtherFiles(t *testing.T) {
	name := filepath.Join(t.TempDir(), "bootstrap")
	if err := os.WriteFile(name, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := checkBootstrap(name, "arm64"); err == nil {
		t.Error("a shell script passed as a Lambda bootstrap")
	}
}

func TestCheckNotTagged(t *testing.T) {
	ws := loadRepo(t, smallRepo())
	gitInit(t, ws.root)
	git := func(args ...string) {
		t.Helper()
		args = append([]string{"-C", ws.root, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)
		if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v %s", args, err, out)
		}
	}
	git("add", "-A")
	git("commit", "-q", "-m", "one")
	if err := checkNotTagged(ws, "v0.1.0"); err != nil {
		t.Fatalf("untagged: %v", err)
	}
	git("tag", "b/v0.1.0")
	if err := checkNotTagged(ws, "v0.1.0"); err != nil {
		t.Fatalf("tagged at HEAD (the release commit itself): %v", err)
	}
	git("commit", "-q", "--allow-empty", "-m", "two")
	err := checkNotTagged(ws, "v0.1.0")
	if err == nil || !strings.Contains(err.Error(), "b/v0.1.0 is tagged") {
		t.Fatalf("v0.1.0 tagged on an older commit: %v", err)
	}
	if err := checkNotTagged(ws, "v0.2.0"); err != nil {
		t.Fatalf("next version: %v", err)
	}
}

// TestReleaseDevelopRoundTrip: release writes the go.mod files of a release commit (sibling
// requirements at the version, no sibling replace in a released module), checkVersions
// accepts them, and develop restores the workspace byte for byte.
func TestReleaseDevelopRoundTrip(t *testing.T) {
	files := smallRepo()
	// c requires both siblings, out of order in its replace block, plus a replace of an
	// outside module that release must keep.
	files["go.work"] = "go 1.25.0\n\nuse (\n\t./a\n\t./b\n\t./c\n\t./examples\n)\n"
	files["c/go.mod"] = "module example.com/r/c\n\ngo 1.25.0\n\nrequire (\n\texample.com/r/a v0.1.0\n\texample.com/r/b v0.1.0\n)\n\n" +
		"replace (\n\texample.com/r/a => ../a\n\texample.com/r/b => ../b\n)\n"
	ws := loadRepo(t, files)
	var out bytes.Buffer
	if err := release(ws, "v0.2.0", &out); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(ws.root, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	if got, want := read("b/go.mod"), "module example.com/r/b\n\ngo 1.25.0\n\nrequire example.com/r/a v0.2.0\n"; got != want {
		t.Errorf("released b/go.mod:\n%s\nwant:\n%s", got, want)
	}
	if got := read("c/go.mod"); strings.Contains(got, "replace") || strings.Count(got, "v0.2.0") != 2 {
		t.Errorf("released c/go.mod:\n%s", got)
	}
	if got := read("examples/go.mod"); strings.Contains(got, "replace") || strings.Count(got, "v0.2.0") != 2 {
		t.Errorf("released examples/go.mod:\n%s", got)
	}
	rel, err := loadWorkspace(ws.root)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := checkVersions(rel, ""); err != nil || v != "v0.2.0" {
		t.Errorf("checkVersions on the release commit: %q, %v", v, err)
	}

	if err := develop(rel, "v0.1.0", &out); err != nil {
		t.Fatal(err)
	}
	sameMods := func(what string) {
		t.Helper()
		for name, want := range files {
			if got := read(name); strings.HasSuffix(name, "go.mod") && got != want {
				t.Errorf("%s: %s\n%s\nwant:\n%s", what, name, got, want)
			}
		}
	}
	sameMods("develop(release(x))")

	// develop without a version keeps the requirements and only restores the replaces.
	ws = loadRepo(t, files)
	if err := release(ws, "v0.1.0", &out); err != nil {
		t.Fatal(err)
	}
	if ws, err = loadWorkspace(ws.root); err != nil {
		t.Fatal(err)
	}
	if err := develop(ws, "", &out); err != nil {
		t.Fatal(err)
	}
	sameMods("develop(release(x)) at the same version")
}

// TestCheckVersionsPartialRelease: a module that still replaces a sibling while another
// does not is neither a release commit nor development.
func TestCheckVersionsPartialRelease(t *testing.T) {
	files := smallRepo()
	files["go.work"] = "go 1.25.0\n\nuse (\n\t./a\n\t./b\n\t./c\n\t./examples\n)\n"
	files["c/go.mod"] = "module example.com/r/c\n\ngo 1.25.0\n\nrequire example.com/r/a v0.1.0\n"
	_, err := checkVersions(loadRepo(t, files), "")
	if err == nil || !strings.Contains(err.Error(), "c/go.mod: requires example.com/r/a but has no `replace example.com/r/a => ../a`") {
		t.Errorf("c without replace next to b with one: %v", err)
	}
	files["b/go.mod"] = "module example.com/r/b\n\ngo 1.25.0\n\nrequire example.com/r/a v0.1.0\n"
	_, err = checkVersions(loadRepo(t, files), "")
	if err == nil || !strings.Contains(err.Error(), "b/go.mod: requires example.com/r/a but has no") ||
		!strings.Contains(err.Error(), "c/go.mod: requires example.com/r/a but has no") {
		t.Errorf("examples with its replaces, b and c without: %v", err)
	}
}

// TestPackRefusesReplace: a go.mod with a replace is never packed, as go install refuses it.
func TestPackRefusesReplace(t *testing.T) {
	ws := loadRepo(t, smallRepo())
	gitInit(t, ws.root)
	b := ws.byPath["example.com/r/b"]
	err := writeProxyVersion(t.TempDir(), ws, b, "v0.1.0", b.raw, time.Unix(0, 0))
	if err == nil || !strings.Contains(err.Error(), "b/go.mod at v0.1.0 still has 1 replace directive(s)") {
		t.Errorf("packing b's development go.mod: %v", err)
	}
}
