package conformance

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestLessID(t *testing.T) {
	ids := []string{"10-1", "1-10", "2-1", "1-2", "1-1", "9-20", "9-4", "x-1", "1-2-1"}
	sort.SliceStable(ids, func(i, j int) bool { return LessID(ids[i], ids[j]) })
	want := "1-1 1-2 1-2-1 1-10 2-1 9-4 9-20 10-1 x-1"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	if LessID("1-01", "1-1") || LessID("1-1", "1-01") {
		t.Error("1-01 and 1-1 must sort as equal")
	}
}

func TestParseRequirement(t *testing.T) {
	r, err := ParseRequirement("callback", "4-9", []byte(`---
# comment
description: A callback
async: true
AsyncInvoke: true
optional: true
unknown_key: ignored
Variables:
  CB_NAME: ${GEN_STR:10}
  CB_PAYLOAD: ${GEN_STR:12}
Input: ${CB_NAME}
ExpectedResult:
  ExecutionStatus: SUCCEEDED
  Result:
CallbackActions:
  - CallbackName: ${CB_NAME}
    Operation: success
    Payload: ${CB_PAYLOAD}
    Delay: 1
AsyncConfig:
  PollIntervalSeconds: 5
ExpectedExecutionHistory:
  - EventId: 2
ExpectedLogs:
  - match: {a: b}
`))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name string
		ok   bool
	}{
		{"id and suite", r.ID == "4-9" && r.Suite == "callback"},
		{"description", r.Description == "A callback"},
		{"async and optional", r.AsyncInvoke && r.Optional},
		{"variables in order", len(r.Variables) == 2 && r.Variables[0].Name == "CB_NAME" && r.Variables[1].Name == "CB_PAYLOAD"},
		{"input as written", r.Input == "${CB_NAME}"},
		{"explicit null result", r.ExpectedResult != nil && r.ExpectedResult.HasResult && r.ExpectedResult.Result == nil && r.ExpectedResult.ExecutionStatus == "SUCCEEDED"},
		{"callback action", len(r.CallbackActions) == 1 && r.CallbackActions[0].Delay == time.Second && r.CallbackActions[0].HasPayload},
		{"async config", r.PollInterval == 5*time.Second && r.NoProgressTimeout == DefaultNoProgressTimeout},
		{"history and logs", len(r.ExpectedHistory) == 1 && len(r.ExpectedLogs) == 1},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: parsed %+v", c.name, r)
		}
	}
}

func TestParseRequirementDefaults(t *testing.T) {
	r, err := ParseRequirement("wait", "2-4", []byte("---\nInput:\nExpectedExecutionHistory: []\n"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Input != nil || r.ExpectedResult != nil || r.AsyncInvoke || r.Optional ||
		r.PollInterval != DefaultPollInterval || r.NoProgressTimeout != DefaultNoProgressTimeout {
		t.Errorf("defaults wrong: %+v", r)
	}
}

func TestParseRequirementRejects(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"top level list", "- a\n", "not a mapping"},
		{"variables list", "Variables: [a]\n", "Variables is not a mapping"},
		{"variable name", "Variables: {'1X': a}\n", "not an identifier"},
		{"history mapping", "ExpectedExecutionHistory: {a: 1}\n", "not a list"},
		{"logs mapping", "ExpectedLogs: {a: 1}\n", "not a list"},
		{"result scalar", "ExpectedResult: x\n", "not a mapping"},
		{"callback without name", "CallbackActions: [{Operation: success}]\n", "CallbackActions[0]: CallbackName is required"},
		{"negative poll", "AsyncConfig: {PollIntervalSeconds: -1}\n", "AsyncConfig.PollIntervalSeconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseRequirement("s", "1-1", []byte(tt.text))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestLoadVendoredSet(t *testing.T) {
	reqs, err := Load(filepath.Join("testdata", "requirements"))
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 136 {
		t.Errorf("%d requirements, want the 136 of the developer set", len(reqs))
	}
	suites := map[string]int{}
	for i, r := range reqs {
		suites[r.Suite]++
		if i > 0 && !LessID(reqs[i-1].ID, r.ID) {
			t.Errorf("%s sorted before %s", reqs[i-1].ID, r.ID)
		}
		if len(r.ExpectedHistory) == 0 || r.Description == "" {
			t.Errorf("%s: empty history or description", r.ID)
		}
	}
	want := map[string]int{"step": 16, "wait": 4, "child": 14, "callback": 15, "invoke": 13,
		"wait_for_condition": 10, "wait_for_callback": 12, "parallel": 18, "map": 16, "plugin": 18}
	for s, n := range want {
		if suites[s] != n {
			t.Errorf("suite %s has %d requirements, want %d", s, suites[s], n)
		}
	}
	if reqs[0].ID != "1-1" || reqs[len(reqs)-1].ID != "10-22" {
		t.Errorf("first %s, last %s", reqs[0].ID, reqs[len(reqs)-1].ID)
	}
}

func TestLoadErrors(t *testing.T) {
	t.Run("missing directory", func(t *testing.T) {
		if _, err := Load(filepath.Join(t.TempDir(), "nope")); err == nil {
			t.Error("no error")
		}
	})
	t.Run("broken file names its path", func(t *testing.T) {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "step", "1-1.yaml"), "a: [\n")
		_, err := Load(dir)
		if err == nil || !strings.Contains(err.Error(), filepath.Join("step", "1-1.yaml")) {
			t.Errorf("error %v, want one naming the file", err)
		}
	})
	t.Run("duplicate id across suites", func(t *testing.T) {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "a", "1-1.yaml"), "description: x\n")
		mustWrite(t, filepath.Join(dir, "b", "1-1.yaml"), "description: y\n")
		if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "id 1-1") {
			t.Errorf("error %v, want a duplicate id", err)
		}
	})
	t.Run("other files ignored", func(t *testing.T) {
		dir := t.TempDir()
		mustWrite(t, filepath.Join(dir, "README.md"), "x")
		mustWrite(t, filepath.Join(dir, "a", "notes.txt"), "x")
		mustWrite(t, filepath.Join(dir, "a", "1-1.yaml"), "description: x\n")
		reqs, err := Load(dir)
		if err != nil || len(reqs) != 1 || reqs[0].Path != filepath.Join(dir, "a", "1-1.yaml") {
			t.Errorf("Load = %v, %v", reqs, err)
		}
	})
}

func mustWrite(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDir(t *testing.T) {
	t.Run("environment override", func(t *testing.T) {
		t.Setenv(DirEnv, "/some/where")
		if got := Dir(); got != "/some/where" {
			t.Errorf("Dir() = %q", got)
		}
	})
	t.Run("vendored set by default", func(t *testing.T) {
		t.Setenv(DirEnv, "")
		st, err := os.Stat(filepath.Join(Dir(), "step", "1-1.yaml"))
		if err != nil || st.IsDir() {
			t.Errorf("Dir() = %q does not hold step/1-1.yaml: %v", Dir(), err)
		}
	})
}
