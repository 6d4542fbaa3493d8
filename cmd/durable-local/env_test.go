package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// envFunction is a durable function whose step returns its working
// directory, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR,
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_EXECUTION_ENV when set, and its
// settings.txt, read by a relative path.
const envFunction = "testdata/envfunction"

// runEnv runs `durable-local run -json args...` and returns what the
// function reported.
func runEnv(t *testing.T, args ...string) map[string]string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(append([]string{"run", "-json"}, args...), &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d\nstderr:\n%s\nstdout:\n%s", code, stderr.String(), stdout.String())
	}
	var v View
	if err := json.Unmarshal(stdout.Bytes(), &v); err != nil || v.Result == nil {
		t.Fatalf("output is not a View with a result: %v\n%s", err, stdout.String())
	}
	return decodeEnv(t, *v.Result)
}

func decodeEnv(t *testing.T, result string) map[string]string {
	t.Helper()
	var env map[string]string
	if err := json.Unmarshal([]byte(result), &env); err != nil {
		t.Fatalf("result %s: %v", result, err)
	}
	return env
}

func checkEnv(t *testing.T, env map[string]string, codeDir, memory string) {
	t.Helper()
	for k, want := range map[string]string{"cwd": codeDir, "LAMBDA_TASK_ROOT": codeDir, "LAMBDA_RUNTIME_DIR": codeDir,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": memory, "settings.txt": "stage=local\n"} {
		if env[k] != want {
			t.Errorf("%s=%q, want %q", k, env[k], want)
		}
	}
	if v, ok := env["AWS_EXECUTION_ENV"]; ok {
		t.Errorf("AWS_EXECUTION_ENV=%q, want it unset as for an OS-only runtime", v)
	}
}

// A function runs in its code directory, as in /var/task: the package
// directory durable-local built it from (named by a path or an import
// path), or the directory holding a
// binary it was given, and reads the files kept there by relative paths.
// Its memory size is Lambda's default, or what -memory or the config file
// says.
func TestFunctionSeesItsCodeDirectoryAndMemorySize(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	t.Setenv("AWS_EXECUTION_ENV", "AWS_Lambda_go1.x") // durable-local's own environment does not leak
	src, err := filepath.Abs(envFunction)
	if err != nil {
		t.Fatal(err)
	}
	// A deployment package of its own: the binary and its settings.
	pkg := filepath.Join(t.TempDir(), "package")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(pkg, "bootstrap")
	if out, err := exec.Command("go", "build", "-o", bin, "./"+envFunction).CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(pkg, "settings.txt"), []byte("stage=local\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Run("built from its package directory, with -memory", func(t *testing.T) {
		checkEnv(t, runEnv(t, "-memory", "512", envFunction), src, "512")
	})
	t.Run("built from a package path", func(t *testing.T) {
		checkEnv(t, runEnv(t, "github.com/durable-go/durable-go/cmd/durable-local/"+envFunction), src, "128")
	})
	t.Run("a binary, by default", func(t *testing.T) {
		checkEnv(t, runEnv(t, bin), pkg, "128")
	})
	t.Run("memorySize in the config file", func(t *testing.T) {
		config := filepath.Join(t.TempDir(), "functions.json")
		text := `{"functions": [{"name": "env", "binary": ` + quote(bin) + `, "memorySize": 3008}]}`
		if err := os.WriteFile(config, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := loadConfig(config)
		if err != nil {
			t.Fatal(err)
		}
		in, err := start(options{addr: "127.0.0.1:0", timeout: time.Minute, memory: 1024}, c.Functions)
		if err != nil {
			t.Fatal(err)
		}
		defer in.close()
		e, err := in.follow("env", "", io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if e.Result() == nil {
			t.Fatalf("execution %s: no result (%+v)", e.Status(), e.Error())
		}
		checkEnv(t, decodeEnv(t, *e.Result()), pkg, "3008")
	})
}

// A memory size Lambda would refuse, on the command line or in the config
// file, is refused with the size and Lambda's range, and nothing serves.
func TestInvalidMemorySizeIsRefused(t *testing.T) {
	config := func(memory string) string {
		path := filepath.Join(t.TempDir(), "functions.json")
		text := `{"functions": [{"name": "env", "build": ` + quote(envFunction) + `, "memorySize": ` + memory + `}]}`
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	for _, c := range []struct {
		args []string
		code int // 2: a usage error
		want string
	}{
		{[]string{"run", "-memory", "64", envFunction}, 2, `invalid value "64" for flag -memory: invalid memory size: 64 MB (Lambda's range is 128 to 10240 MB)`},
		{[]string{"serve", "-addr", "127.0.0.1:0", "-memory", "10241"}, 2, `invalid value "10241" for flag -memory: invalid memory size: 10241 MB (Lambda's range is 128 to 10240 MB)`},
		{[]string{"serve", "-addr", "127.0.0.1:0", "-memory", "0"}, 2, `invalid value "0" for flag -memory: invalid memory size: 0 MB`},
		{[]string{"serve", "-addr", "127.0.0.1:0", "-memory", "1.5GB"}, 2, `invalid value "1.5GB" for flag -memory: want a whole number of MB`},
		{[]string{"serve", "-addr", "127.0.0.1:0", "-config", config("20000")}, 1, "function env: memorySize: invalid memory size: 20000 MB (Lambda's range is 128 to 10240 MB)"},
		{[]string{"serve", "-addr", "127.0.0.1:0", "-config", config("0")}, 1, "function env: memorySize: invalid memory size: 0 MB"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(c.args, &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d and %q", c.args, code, stderr.String(), c.code, c.want)
		}
		if strings.Contains(stdout.String(), "serving") {
			t.Errorf("%q: started serving:\n%s", c.args, stdout.String())
		}
	}
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
