package stepcode

import (
	"context"
	"net/http"
	"os"
	"time"

	durable "github.com/durable-go/durable-go/core"
)

// A stage is a named unit of work; run is only ever called in a step.
type stage struct {
	name string
	run  func(context.Context) (string, error)
}

// do runs the stage as a step body.
func (s stage) do(sc *durable.StepContext) (string, error) { return s.run(sc.Context()) }

// shipping builds stages outside durable code.
func shipping(url string) []stage {
	return []stage{{"ship", func(c context.Context) (string, error) {
		req, err := http.NewRequestWithContext(c, http.MethodPost, url, nil)
		if err != nil {
			return "", err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return "", err
		}
		return resp.Status, resp.Body.Close()
	}}}
}

// Stages: function literals stored in a struct field that only step code
// calls are step code.
func Stages(ctx *durable.Context, url string) ([]string, error) {
	stages := []stage{
		{name: "reserve", run: func(context.Context) (string, error) { return os.Getenv("RESERVE"), nil }},
		{"bill", func(context.Context) (string, error) { return time.Now().String(), nil }},
	}
	pointers := []*stage{{"audit", func(context.Context) (string, error) { return os.Getenv("AUDIT"), nil }}}
	for _, p := range pointers {
		stages = append(stages, *p)
	}
	var last stage
	last.run = func(context.Context) (string, error) { return os.Hostname() }
	stages = append(append(stages, shipping(url)...), last)
	var out []string
	for _, st := range stages {
		v, err := durable.Step(ctx, st.name, func(sc *durable.StepContext) (string, error) { return st.run(sc.Context()) })
		if err != nil {
			return nil, err
		}
		w, err := durable.Step(ctx, st.name+"-again", st.do)
		if err != nil {
			return nil, err
		}
		out = append(out, v, w)
	}
	return out, nil
}

// A hook's fire is called in durable code too.
type hook struct{ fire func() string }

func Hooks(ctx *durable.Context) (string, error) {
	h := hook{fire: func() string {
		return os.Getenv("HOOK") // want `nondeterminism: os.Getenv in durable code`
	}}
	s, err := durable.Step(ctx, "hook", func(*durable.StepContext) (string, error) { return h.fire(), nil })
	return s + h.fire(), err
}

// Exported fields may be called by other packages: their values stay
// durable code.
type Job struct{ Run func() string }

func Jobs(ctx *durable.Context) (string, error) {
	j := Job{Run: func() string {
		return os.Getenv("JOB") // want `nondeterminism: os.Getenv in durable code`
	}}
	return durable.Step(ctx, "job", func(*durable.StepContext) (string, error) { return j.Run(), nil })
}
