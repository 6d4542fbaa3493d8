package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// moduleFiles lists the files a tag of module m publishes: the files git tracks or would
// track (untracked files that are not ignored, so a check run before a commit sees new
// files) under m's directory, without nested modules. Like the go command serving a
// module from a subdirectory of a repository, it adds the repository's LICENSE when the
// module has none of its own.
func moduleFiles(ws *workspace, m *wsModule) ([]modzip.File, error) {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", m.dir)
	cmd.Dir = ws.root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files %s: %v: %s", m.dir, err, stderr.Bytes())
	}
	var rels []string
	nested := map[string]bool{} // directories below m holding a go.mod of their own
	for _, name := range strings.Split(string(out), "\x00") {
		if name == "" {
			continue
		}
		rel := strings.TrimPrefix(name, m.dir+"/")
		if path.Base(rel) == "go.mod" && rel != "go.mod" {
			nested[path.Dir(rel)] = true
		}
		rels = append(rels, rel)
	}
	var files []modzip.File
	hasLicense := false
	for _, rel := range rels {
		if inNested(rel, nested) {
			continue
		}
		abs := filepath.Join(ws.abs(m.dir), filepath.FromSlash(rel))
		if _, err := os.Lstat(abs); os.IsNotExist(err) {
			continue // deleted in the working tree, not yet committed
		}
		hasLicense = hasLicense || rel == "LICENSE"
		files = append(files, diskFile{rel: rel, abs: abs})
	}
	if !hasLicense {
		if _, err := os.Stat(filepath.Join(ws.root, "LICENSE")); err == nil {
			files = append(files, diskFile{rel: "LICENSE", abs: filepath.Join(ws.root, "LICENSE")})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path() < files[j].Path() })
	return files, nil
}

func inNested(rel string, nested map[string]bool) bool {
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		if nested[d] {
			return true
		}
	}
	return false
}

// diskFile is a module file on disk, for golang.org/x/mod/zip.
type diskFile struct{ rel, abs string }

func (f diskFile) Path() string                 { return f.rel }
func (f diskFile) Lstat() (os.FileInfo, error)  { return os.Lstat(f.abs) }
func (f diskFile) Open() (io.ReadCloser, error) { return os.Open(f.abs) }

// memFile is a module file whose content is not the one on disk (the release go.mod).
type memFile struct {
	rel  string
	data []byte
	info modzip.File // the file on disk, for its mode
}

func (f memFile) Path() string { return f.rel }
func (f memFile) Lstat() (os.FileInfo, error) {
	fi, err := f.info.Lstat()
	if err != nil {
		return nil, err
	}
	return sizedInfo{fi, int64(len(f.data))}, nil
}
func (f memFile) Open() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(f.data)), nil }

// sizedInfo is a file's information with another size.
type sizedInfo struct {
	os.FileInfo
	size int64
}

func (i sizedInfo) Size() int64 { return i.size }

// writeProxyVersion adds module m at version to the file-system module proxy at dir, in the
// layout the go command reads through GOPROXY=file://dir (see `go help goproxy`):
// <escaped path>/@v/list, <version>.info, <version>.mod and <version>.zip.
//
// gomod is the go.mod the version publishes (releaseMod): it is the .mod file and the
// zip's go.mod. It must hold no replace, which `go install pkg@version` refuses.
func writeProxyVersion(dir string, ws *workspace, m *wsModule, version string, gomod []byte, when time.Time) error {
	if f, err := modfile.Parse(m.dir+"/go.mod", gomod, nil); err != nil {
		return err
	} else if len(f.Replace) > 0 {
		return fmt.Errorf("%s/go.mod at %s still has %d replace directive(s); `go install %s/...@%s` would refuse it",
			m.dir, version, len(f.Replace), m.path, version)
	}
	esc, err := module.EscapePath(m.path)
	if err != nil {
		return err
	}
	escV, err := module.EscapeVersion(version)
	if err != nil {
		return err
	}
	vdir := filepath.Join(dir, filepath.FromSlash(esc), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	files, err := moduleFiles(ws, m)
	if err != nil {
		return err
	}
	for i, f := range files {
		if f.Path() == "go.mod" {
			files[i] = memFile{rel: "go.mod", data: gomod, info: f}
		}
	}
	var zbuf bytes.Buffer
	if err := modzip.Create(&zbuf, module.Version{Path: m.path, Version: version}, files); err != nil {
		return fmt.Errorf("%s: module zip: %w", m.dir, err)
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, when.UTC()})
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{
		escV + ".zip":  zbuf.Bytes(),
		escV + ".mod":  gomod,
		escV + ".info": info,
	} {
		if err := os.WriteFile(filepath.Join(vdir, name), data, 0o644); err != nil {
			return err
		}
	}
	return appendVersion(filepath.Join(vdir, "list"), version)
}

// appendVersion adds version to a proxy's list file unless it is there.
func appendVersion(list, version string) error {
	old, err := os.ReadFile(list)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	for _, v := range strings.Fields(string(old)) {
		if v == version {
			return nil
		}
	}
	return os.WriteFile(list, append(old, version+"\n"...), 0o644)
}
