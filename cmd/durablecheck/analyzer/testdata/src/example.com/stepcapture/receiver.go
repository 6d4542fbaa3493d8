package stepcapture

import (
	"net/http"

	durable "github.com/durable-go/durable-go/core"
)

// A flow keeps its state in fields; its steps are methods.
type flow struct {
	id          string
	reservation string
	charged     bool
	client      *http.Client
}

// reserve is a step body: the reservation it records is lost on replay.
func (f *flow) reserve(sc *durable.StepContext) (bool, error) {
	f.reservation = "rsv-" + f.id // want `stepcapture: the step body assigns f.reservation, a field of its receiver: the step body is skipped on replay, so the code after it sees another value of f.reservation; return the value from the step body and use its result`
	if f.client == nil {
		f.client = http.DefaultClient // lazily made in the step that uses it
	}
	return true, nil
}

// charge returns its result: fine.
func (f *flow) charge(sc *durable.StepContext) (bool, error) {
	local := *f
	local.charged = true
	return local.charged, nil
}

// note has a value receiver: it assigns a copy.
func (f flow) note(sc *durable.StepContext) (bool, error) {
	f.charged = true
	return f.charged, nil
}

func (f *flow) Run(ctx *durable.Context) (string, error) {
	for _, body := range []func(*durable.StepContext) (bool, error){f.reserve, f.charge, f.note} {
		if _, err := durable.Step(ctx, "", body); err != nil {
			return "", err
		}
	}
	var client *http.Client
	_, err := durable.Step(ctx, "lazy", func(sc *durable.StepContext) (bool, error) {
		if client == nil {
			client = http.DefaultClient // made again by whichever step runs next
		}
		return client != nil, nil
	})
	return f.reservation, err
}

// A tally counts step attempts, from step bodies that call it: a helper
// of step bodies, not one itself.
type tally struct{ runs map[string]int }

func (t *tally) add(sc *durable.StepContext) {
	t.runs[sc.Context().Value("op").(string)]++
}

func Tallied(ctx *durable.Context, t *tally) (bool, error) {
	return durable.Step(ctx, "tallied", func(sc *durable.StepContext) (bool, error) {
		t.add(sc)
		return true, nil
	})
}
