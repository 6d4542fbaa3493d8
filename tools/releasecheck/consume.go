package main

import (
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// checkModules is the release check: the sibling requirements agree on the release
// version, every released module packs into a module zip at that version, and a scratch
// module outside the workspace, with no replace, builds from a local proxy holding those
// zips: every package of every released module, the README tour with each adapter, and
// the tour as a Lambda bootstrap binary.
func checkModules(ws *workspace, version, keep string, out io.Writer) error {
	version, err := checkVersions(ws, version)
	if err != nil {
		return err
	}
	if err := checkNotTagged(ws, version); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "releasecheck-")
	if err != nil {
		return err
	}
	defer removeAll(tmp)
	proxy := filepath.Join(tmp, "proxy")
	if keep != "" {
		if proxy, err = filepath.Abs(keep); err != nil {
			return err
		}
	}
	now := time.Now()
	for _, m := range ws.released() {
		gomod, err := releaseMod(ws, m, version)
		if err != nil {
			return err
		}
		if err := writeProxyVersion(proxy, ws, m, version, gomod, now); err != nil {
			return err
		}
		fmt.Fprintf(out, "packed %s@%s (go.mod without replace)\n", m.path, version)
	}

	tour, err := findBlock(ws, "README.md", "tour")
	if err != nil {
		return err
	}
	consumer := filepath.Join(tmp, "consumer")
	if err := writeConsumer(consumer, ws, version, tour); err != nil {
		return err
	}
	env, err := consumerEnv(proxy, filepath.Join(tmp, "modcache"))
	if err != nil {
		return err
	}
	// Everything builds as Lambda runs it (linux, no cgo, -trimpath, in consumerEnv), so the
	// bootstrap below differs from these builds only by its tag and reuses their packages.
	pkgs := []string{"./..."}
	for _, m := range ws.released() {
		pkgs = append(pkgs, m.path+"/...")
	}
	start := time.Now()
	if err := goCmd(consumer, env, append([]string{"build"}, pkgs...)...); err != nil {
		return fmt.Errorf("building from the local proxy (keep it with -keep dir to retry by hand): %w", err)
	}
	fmt.Fprintf(out, "built every released package and the README tour with each adapter (%s) from the proxy in %s\n",
		strings.Join(adapterNames(), ", "), time.Since(start).Round(time.Second))

	start = time.Now()
	bootstrap := filepath.Join(tmp, "bootstrap")
	if err := goCmd(consumer, env, "build", "-tags", "lambda.norpc", "-o", bootstrap, "./tour_zap"); err != nil {
		return fmt.Errorf("building the Lambda bootstrap: %w", err)
	}
	if err := checkBootstrap(bootstrap, lambdaArch()); err != nil {
		return err
	}
	fmt.Fprintf(out, "built the tour as a linux/%s lambda.norpc bootstrap in %s\n", lambdaArch(), time.Since(start).Round(time.Second))

	start = time.Now()
	if err := checkInstall(tmp, env, ws, version); err != nil {
		return err
	}
	fmt.Fprintf(out, "installed %s at %s with go install from the proxy in %s\n", strings.Join(installed, " and "), version, time.Since(start).Round(time.Second))
	return nil
}

// installed are the commands users install with `go install pkg@version`.
var installed = []string{modulePrefix + "/cmd/durable-local", modulePrefix + "/conformance/cmd/conformance"}

// checkInstall runs `go install pkg@version` for every installed command that a released
// module holds, as a user would (outside any module, for the machine's own platform so
// GOBIN is allowed), and checks each binary is there. The go command refuses a module
// whose go.mod has a replace directive.
func checkInstall(tmp string, env []string, ws *workspace, version string) error {
	gobin := filepath.Join(tmp, "bin")
	outside := filepath.Join(tmp, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		return err
	}
	env = append(env, "GOBIN="+gobin, "GOFLAGS=-trimpath", "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
	for _, pkg := range installed {
		if !releasesPackage(ws, pkg) {
			continue
		}
		if err := goCmd(outside, env, "install", pkg+"@"+version); err != nil {
			return fmt.Errorf("installing a command at the release version: %w", err)
		}
		bin := filepath.Join(gobin, path.Base(pkg))
		if runtime.GOOS == "windows" {
			bin += ".exe"
		}
		if fi, err := os.Stat(bin); err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("go install %s@%s succeeded but wrote no %s: %v", pkg, version, bin, err)
		}
	}
	return nil
}

// releasesPackage reports whether a released module holds the package path pkg.
func releasesPackage(ws *workspace, pkg string) bool {
	for _, m := range ws.released() {
		if pkg == m.path || strings.HasPrefix(pkg, m.path+"/") {
			return true
		}
	}
	return false
}

// checkNotTagged fails when a release tag of version exists on a commit other than HEAD:
// the requirements must then name the next release, or a user would get the tagged code
// where this tree expects its own. (A clone without tags passes.)
func checkNotTagged(ws *workspace, version string) error {
	head, err := gitOutput(ws.root, "rev-parse", "HEAD")
	if err != nil {
		return nil // not a git checkout, or no commit yet: nothing is tagged
	}
	var p problems
	for _, m := range ws.released() {
		tag := m.dir + "/" + version
		commit, err := gitOutput(ws.root, "rev-parse", "-q", "--verify", "refs/tags/"+tag+"^{commit}")
		if err == nil && commit != head {
			p.addf("%s is tagged (commit %.12s), HEAD is %.12s: set the next release with `releasecheck develop vX.Y.Z` (RELEASING.md)", tag, commit, head)
		}
	}
	return p.err("release version already tagged")
}

func gitOutput(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	return strings.TrimSpace(string(out)), err
}

// consumerEnv is the environment of a user outside the repository: no workspace, modules
// from the local proxy first, then the machine's module cache and configured proxy for
// everything else. The module cache is a fresh one, so no module cached from an earlier
// run (or a real release) stands in for the packed zips; the machine's cache only serves
// as a proxy, which the go command verifies like any other. The released versions exist
// nowhere but in the local proxy, so the checksum database cannot know them: GONOSUMDB
// exempts this repository's modules alone, and every other module is still verified
// against GOSUMDB (GOSUMDB=off would drop that for all of them).
func consumerEnv(proxy, modcache string) ([]string, error) {
	configured, err := goEnv("GOPROXY")
	if err != nil {
		return nil, err
	}
	cache, err := goEnv("GOMODCACHE")
	if err != nil {
		return nil, err
	}
	proxies := []string{fileURL(proxy), fileURL(filepath.Join(cache, "cache", "download"))}
	if configured != "" {
		proxies = append(proxies, configured)
	}
	return append(os.Environ(),
		"GOWORK=off",
		"GOFLAGS=-mod=mod -trimpath",
		"GOOS=linux",
		"GOARCH="+lambdaArch(),
		"CGO_ENABLED=0",
		"GOPROXY="+strings.Join(proxies, ","),
		"GOMODCACHE="+modcache,
		"GOPRIVATE=",
		"GONOPROXY=",
		"GONOSUMDB="+modulePrefix,
	), nil
}

// modulePrefix is the path prefix of every module of this repository.
const modulePrefix = "github.com/durable-go/durable-go"

func fileURL(dir string) string { return "file://" + filepath.ToSlash(dir) }

func goEnv(name string) (string, error) {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		return "", fmt.Errorf("go env %s: %w", name, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// goCmd runs the go command in dir with env, returning its output in the error.
func goCmd(dir string, env []string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = env
	var buf bytes.Buffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(buf.String()))
	}
	return nil
}

// removeAll removes a temporary tree, module cache included (the go command writes it read-only).
func removeAll(dir string) {
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
	os.RemoveAll(dir)
}

// lambdaArch is the Lambda architecture the check builds for: the machine's own when Lambda
// offers it (so the compiled packages serve both the check and the machine), else arm64.
func lambdaArch() string {
	if runtime.GOARCH == "amd64" {
		return "amd64"
	}
	return "arm64"
}

// checkBootstrap verifies that a Lambda bootstrap is a Linux executable for arch.
func checkBootstrap(name, arch string) error {
	f, err := elf.Open(name)
	if err != nil {
		return fmt.Errorf("Lambda bootstrap: %w", err)
	}
	defer f.Close()
	want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
	if f.Machine != want || f.Type != elf.ET_EXEC {
		return fmt.Errorf("Lambda bootstrap: %v %v, want an executable for %s", f.Type, f.Machine, arch)
	}
	return nil
}

// adapterMains are the imports and the logger of the tour's main function for each
// adapter but zap, whose main is the README's own.
var adapterMains = map[string]struct{ imports, logger string }{
	"zerolog": {`"os"; zerologadapter "github.com/durable-go/durable-go/adapters/zerolog"; "github.com/rs/zerolog"`,
		"zerologadapter.New(zerologadapter.NewLambdaLogger(os.Stdout, zerolog.InfoLevel))"},
	"logrus": {`"os"; logrusadapter "github.com/durable-go/durable-go/adapters/logrus"; "github.com/sirupsen/logrus"`,
		"logrusadapter.New(logrusadapter.NewLambdaLogger(os.Stdout, logrus.InfoLevel))"},
	"slog": {`"log/slog"; "os"; slogadapter "github.com/durable-go/durable-go/adapters/slog"`,
		"slogadapter.NewHandler(slogadapter.NewLambdaHandler(os.Stdout, slog.LevelInfo))"},
}

// adapterMain is the tour's main function with the given adapter.
func adapterMain(name string) string {
	a := adapterMains[name]
	return "package main\n\nimport (\n\t\"github.com/aws/aws-lambda-go/lambda\"\n\tdurable \"" + modulePrefix + "/core\"\n\t" +
		strings.ReplaceAll(a.imports, "; ", "\n\t") + "\n)\n\nfunc main() {\n\tlambda.Start(durable.Handler(process, durable.WithLogger(" +
		a.logger + ")))\n}\n"
}

func adapterNames() []string { return []string{"zap", "zerolog", "logrus", "slog"} }

// writeConsumer writes the scratch module: a go.mod requiring every released module at
// version, as `go get` would write it, and one main package per adapter. tour_zap is the
// README tour as it stands; the others are the tour with its main function replaced by
// the adapter's (adapterMains).
func writeConsumer(dir string, ws *workspace, version string, tour block) error {
	var mod strings.Builder
	fmt.Fprintf(&mod, "module example.com/consumer\n\ngo %s\n\nrequire (\n", ws.goVer)
	for _, m := range ws.released() {
		fmt.Fprintf(&mod, "\t%s %s\n", m.path, version)
	}
	mod.WriteString(")\n")
	if err := writeFile(filepath.Join(dir, "go.mod"), mod.String()); err != nil {
		return err
	}
	src := tour.source()
	if err := writeFile(filepath.Join(dir, "tour_zap", "main.go"), src); err != nil {
		return err
	}
	withoutMain, err := dropMain(tour.name(), src)
	if err != nil {
		return err
	}
	for name := range adapterMains {
		d := filepath.Join(dir, "tour_"+name)
		if err := writeFile(filepath.Join(d, "tour.go"), withoutMain); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(d, "main.go"), adapterMain(name)); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(name, data string) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, []byte(data), 0o644)
}
