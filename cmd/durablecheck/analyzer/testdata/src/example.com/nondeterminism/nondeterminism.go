// Package nondeterminism: rule nondeterminism, and which code is durable.
package nondeterminism

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"math/rand"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/lambda"
	durable "github.com/durable-go/durable-go/core"
	"github.com/google/uuid"
	"github.com/oklog/ulid/v2"
)

var client = &lambda.Client{}

// Handler is durable code: it takes a *durable.Context.
func Handler(ctx *durable.Context, in string) (string, error) {
	start := time.Now()                                        // want `nondeterminism: time.Now in durable code returns a different value on replay; read it in a durable.Step`
	_ = time.Since(start)                                      // want `nondeterminism: time.Since in durable code`
	time.Sleep(time.Second)                                    // want `nondeterminism: time.Sleep in durable code blocks on every replay and does not survive a suspension; use durable.Wait`
	<-time.After(time.Second)                                  // want `nondeterminism: time.After in durable code`
	_ = rand.Intn(10)                                          // want `nondeterminism: rand.Intn in durable code returns a different value on replay; generate it in a durable.Step`
	_, _ = crand.Read(make([]byte, 8))                         // want `nondeterminism: rand.Read in durable code`
	_ = uuid.NewString()                                       // want `nondeterminism: uuid.NewString in durable code`
	_ = ulid.Make()                                            // want `nondeterminism: ulid.Make in durable code`
	_ = ulid.MustNew(ulid.Now(), nil)                          // want `nondeterminism: ulid.Now in durable code`
	_ = os.Getenv("STAGE")                                     // want `nondeterminism: os.Getenv in durable code may differ between invocations`
	_ = os.Getpid()                                            // want `nondeterminism: os.Getpid in durable code`
	_, _ = os.ReadFile("config.json")                          // want `nondeterminism: os.ReadFile in durable code`
	_, _ = http.Get("https://example.com")                     // want `nondeterminism: http.Get in durable code runs again on every replay`
	_, _ = http.DefaultClient.Do(nil)                          // want `nondeterminism: http.Client.Do in durable code`
	_, _ = client.Invoke(ctx.Context(), &lambda.InvokeInput{}) // want `nondeterminism: lambda.Client.Invoke in durable code runs again on every replay`
	_ = client.Options()                                       // configuration, not a call to AWS
	defer func() {
		_ = time.Now() // want `nondeterminism: time.Now in durable code`
	}()

	// Deterministic: constants, arithmetic on inputs, seeded generators,
	// name-based UUIDs, time values built from data.
	_ = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	_ = time.Duration(3) * time.Second
	_ = rand.New(rand.NewSource(42)).Intn(10)
	_ = uuid.NewSHA1(uuid.UUID{}, []byte(in))

	// Step bodies run once per attempt: anything goes there.
	now, err := durable.Step(ctx, "now", func(sc *durable.StepContext) (time.Time, error) {
		_ = os.Getenv("STAGE")
		return time.Now(), nil
	})
	if err != nil {
		return "", err
	}
	// So do wait-for-condition checks, callback submitters and strategies.
	_, _ = durable.WaitForCondition(ctx, "poll", 0, func(sc *durable.StepContext, n int) (int, error) {
		return n + rand.Intn(2), nil
	}, func(n int, attempt int) (durable.WaitDecision, error) {
		return durable.WaitDecision{Delay: time.Duration(rand.Intn(5)) * time.Second}, nil
	})
	_, _ = durable.WaitForCallback[string](ctx, "approve", func(sc *durable.StepContext, id string) error {
		_, err := http.Post("https://example.com/"+id, "text/plain", nil)
		return err
	})
	_, _ = durable.Step(ctx, "retried", submit, durable.WithRetryStrategy(func(err error, attempt int) durable.RetryDecision {
		return durable.RetryDecision{ShouldRetry: true, Delay: time.Duration(rand.Intn(1000)) * time.Millisecond}
	}))
	return now.String(), nil
}

// submit is a step body declared as a function: not durable code.
func submit(*durable.StepContext) (string, error) {
	return uuid.NewString(), nil
}

// Children, map items and branches are durable code.
func Children(ctx *durable.Context, items []string) error {
	_, _ = durable.RunInChildContext(ctx, "child", func(child *durable.Context) (int, error) {
		return rand.Int(), nil // want `nondeterminism: rand.Int in durable code`
	})
	_, _ = durable.Map(ctx, "map", items, func(item *durable.Context, s string, i int, all []string) (string, error) {
		return s + uuid.NewString(), nil // want `nondeterminism: uuid.NewString in durable code`
	})
	_, _ = durable.Parallel(ctx, "par", []durable.Branch[int64]{{Func: func(b *durable.Context) (int64, error) {
		return time.Now().Unix(), nil // want `nondeterminism: time.Now in durable code`
	}}})
	return nil
}

// handlerFactory returns durable code built in ordinary code.
func handlerFactory(prefix string) func(*durable.Context, string) (string, error) {
	_ = time.Now() // not durable: runs when the handler is built
	return func(ctx *durable.Context, in string) (string, error) {
		return prefix + os.Getenv("X"), nil // want `nondeterminism: os.Getenv in durable code`
	}
}

// notDurable has no durable context and no durable caller.
func notDurable() time.Time { return time.Now() }

var _ = durable.Handler(handlerFactory("p"))

// Closures: one stored in a variable and called only from step bodies
// runs as step code; one called (or handed on) from durable code is
// durable code.
func Closures(ctx *durable.Context, id string) (string, error) {
	fetch := func(id string) (string, error) {
		resp, err := http.Get("https://example.com/" + id)
		if err != nil {
			return "", err
		}
		return resp.Status + time.Now().String(), nil
	}
	var stamp = func() string { return uuid.NewString() }
	shared := func() string { return stamp() + stamp() + os.Getenv("REGION") } // called by a closure that only step bodies call
	status, err := durable.Step(ctx, "fetch", func(sc *durable.StepContext) (string, error) {
		if sc.Attempt() > 1 {
			return fetch(id + "?retry")
		}
		return fetch(id)
	})
	if err != nil {
		return "", err
	}
	_, _ = durable.Step(ctx, "stamp", func(sc *durable.StepContext) (string, error) {
		return func() string { return stamp() }(), nil
	})
	_, _ = durable.Step(ctx, "shared", func(sc *durable.StepContext) (string, error) {
		return shared(), nil
	})

	now := func() time.Time {
		return time.Now() // want `nondeterminism: time.Now in durable code`
	}
	both := func() string {
		return os.Getenv("STAGE") // want `nondeterminism: os.Getenv in durable code`
	}
	handed := func() int {
		return rand.Int() // want `nondeterminism: rand.Int in durable code`
	}
	_, _ = durable.Step(ctx, "both", func(sc *durable.StepContext) (string, error) { return both(), nil })
	_ = sort(handed)
	return status + now().String() + both(), nil
}

func sort(f func() int) int { return f() }

// LambdaAPI is the interface the AWS SDK's documentation suggests for
// mocking a client: calls through it are the client's API operations.
type LambdaAPI interface {
	Invoke(ctx context.Context, in *lambda.InvokeInput, optFns ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

type service struct {
	lambda LambdaAPI
}

func (s *service) Handle(ctx *durable.Context, in string) (string, error) {
	_, _ = s.lambda.Invoke(ctx.Context(), &lambda.InvokeInput{}) // want `nondeterminism: nondeterminism.LambdaAPI.Invoke in durable code runs again on every replay`
	_, err := durable.Step(ctx, "invoke", func(sc *durable.StepContext) (*lambda.InvokeOutput, error) {
		return s.lambda.Invoke(sc.Context(), &lambda.InvokeInput{})
	})
	return in, err
}

// step is a wrapper of durable.Step that hands fn the step's
// context.Context: a function literal given to it is step code.
func step[T any](ctx *durable.Context, name string, fn func(context.Context) (T, error)) (T, error) {
	return durable.Step(ctx, name, func(sc *durable.StepContext) (T, error) { return fn(sc.Context()) })
}

// retried hands fn on to step.
func retried[T any](ctx *durable.Context, name string, fn func(context.Context) (T, error)) (T, error) {
	return step(ctx, name+"-retried", fn)
}

// both calls fn in a step and in durable code.
func both(ctx *durable.Context, fn func() string) string {
	_, _ = durable.Step(ctx, "both", func(*durable.StepContext) (string, error) { return fn(), nil })
	return fn()
}

func Wrapped(ctx *durable.Context, url string) (string, error) {
	status, err := step(ctx, "fetch", func(gctx context.Context) (string, error) {
		resp, err := http.Get(url)
		if err != nil {
			return "", err
		}
		return resp.Status + time.Now().String(), nil
	})
	if err != nil {
		return "", err
	}
	_, _ = retried(ctx, "id", func(context.Context) (string, error) { return uuid.NewString(), nil })
	return status + both(ctx, func() string {
		return os.Getenv("STAGE") // want `nondeterminism: os.Getenv in durable code`
	}), nil
}

// Database: every handle that talks to the database.
func Database(ctx *durable.Context, db *sql.DB, tx *sql.Tx) error { // want Database:"runs no durable operation"
	_, _ = db.ExecContext(ctx.Context(), "UPDATE orders SET n = n + 1") // want `nondeterminism: sql.DB.ExecContext in durable code runs again on every replay`
	stmt, _ := db.PrepareContext(ctx.Context(), "SELECT 1")             // want `nondeterminism: sql.DB.PrepareContext in durable code`
	_, _ = stmt.Exec()                                                  // want `nondeterminism: sql.Stmt.Exec in durable code`
	_, _ = tx.Exec("DELETE FROM orders")                                // want `nondeterminism: sql.Tx.Exec in durable code`
	conn, _ := db.Conn(ctx.Context())                                   // want `nondeterminism: sql.DB.Conn in durable code`
	_ = conn.QueryRowContext(ctx.Context(), "SELECT 1")                 // want `nondeterminism: sql.Conn.QueryRowContext in durable code`
	return tx.Commit()                                                  // want `nondeterminism: sql.Tx.Commit in durable code`
}

// timeNow and newID are variables so that tests can replace them.
var (
	timeNow = time.Now
	newID   = uuid.NewString
	stage   = transitiveEnv
)

func transitiveEnv() string { return os.Getenv("STAGE") }

func Injected(ctx *durable.Context, in string) (string, error) { // want Injected:"runs no durable operation"
	at := timeNow() // want `nondeterminism: time.Now in durable code \(via nondeterminism.timeNow\) returns a different value on replay`
	id := newID()   // want `nondeterminism: uuid.NewString in durable code \(via nondeterminism.newID\)`
	s := stage()    // want `nondeterminism: os.Getenv in durable code \(via nondeterminism.stage → nondeterminism.transitiveEnv\)`
	return at.String() + id + s, nil
}

// clocked has its clock and id generator injected, so that tests can
// replace them.
type clocked struct {
	now   func() time.Time
	newID func() string
	name  func() string
}

func newClocked() *clocked {
	c := &clocked{now: time.Now, name: func() string { return "clocked" }}
	c.newID = uuid.NewString
	return c
}

// fake is what a test would build: the literal is not what runs in
// production, the analyzer still reports the production functions.
var fake = &clocked{now: func() time.Time { return time.Time{} }}

func (c *clocked) Handle(ctx *durable.Context, in string) (string, error) { // want Handle:"runs no durable operation"
	at := c.now()   // want `nondeterminism: time.Now in durable code \(via nondeterminism.clocked.now\) returns a different value on replay`
	id := c.newID() // want `nondeterminism: uuid.NewString in durable code \(via nondeterminism.clocked.newID\)`
	return at.String() + id + c.name(), nil
}
