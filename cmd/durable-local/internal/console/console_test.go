package console_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/durable-go/durable-go/cmd/durable-local/internal/console"
	"github.com/durable-go/durable-go/cmd/durable-local/internal/server"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/core/durabletest"
)

func newConsole(t testing.TB) (*durabletest.Host, *server.Logs, *httptest.Server) {
	t.Helper()
	return newConsoleOver(t, func(s server.Source) server.Source { return s })
}

// newConsoleOver serves a console over wrap(the server).
func newConsoleOver(t testing.TB, wrap func(server.Source) server.Source) (*durabletest.Host, *server.Logs, *httptest.Server) {
	t.Helper()
	host := durabletest.NewHost(nil, durabletest.WithSkipTime())
	logs := server.NewLogs(nil)
	srv := server.New(host, logs)
	console.New(wrap(srv)).Register(srv)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	srv.AllowAddr(hs.Listener.Addr())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = host.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	host.Register("approve", durable.Handler(func(ctx *durable.Context, in string) (string, error) {
		v, err := durable.WaitForCallback[string](ctx, "manager", func(*durable.StepContext, string) error { return nil })
		return in + " " + v, err
	}))
	return host, logs, hs
}

func get(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return string(b)
}

// noRedirect keeps the 303 answers of the forms visible.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func TestFormsStartAnExecutionAndCompleteItsCallback(t *testing.T) {
	host, logs, hs := newConsole(t)
	resp, err := noRedirect.PostForm(hs.URL+"/console/start", url.Values{"function": {"approve"}, "input": {`"order 1"`}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start form: %v %v", resp.Status, err)
	}
	page := hs.URL + resp.Header.Get("Location")
	e := host.Executions()[0]
	for deadline := time.Now().Add(10 * time.Second); len(e.Callbacks()) == 0 || e.Invoking(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no callback")
		}
	}
	logs.Add(e.Arn(), e.Invocations()[0].RequestID, "stdout", `{"level":"INFO","message":"asked the <b>manager</b>","operationId":"0123456789abcdef"}`)
	body := get(t, page)
	for _, want := range []string{`class="inline callback"`, "WaitForCallback", "asked the &lt;b&gt;manager&lt;/b&gt;", "operationId=01234567", "RUNNING"} {
		if !strings.Contains(body, want) {
			t.Errorf("execution page lacks %q", want)
		}
	}
	id := e.Callbacks()[0].CallbackDetails.CallbackID
	resp, err = noRedirect.PostForm(hs.URL+"/console/callback", url.Values{"arn": {e.Arn()}, "id": {id}, "action": {"succeed"}, "result": {"yes"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("callback form: %v %v", resp.Status, err)
	}
	for deadline := time.Now().Add(10 * time.Second); e.Status() == durabletest.ExecutionRunning; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("not finished")
		}
	}
	body = get(t, page)
	if !strings.Contains(body, "SUCCEEDED") || !strings.Contains(body, `&#34;order 1 yes&#34;`) {
		t.Errorf("finished page lacks the status or the result")
	}
	if index := get(t, hs.URL+"/"); !strings.Contains(index, e.Name()) {
		t.Errorf("the index does not list %s", e.Name())
	}
	// Completing it again is the service's error, not a crash.
	resp, _ = noRedirect.PostForm(hs.URL+"/console/callback", url.Values{"arn": {e.Arn()}, "id": {id}, "result": {"again"}})
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("second completion: %s", resp.Status)
	}
}

func TestConsoleRefusesBadInputAndOtherSites(t *testing.T) {
	_, _, hs := newConsole(t)
	resp, err := noRedirect.PostForm(hs.URL+"/console/start", url.Values{"function": {"approve"}, "input": {"{not json"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "error=") {
		t.Errorf("bad JSON input: %v %v", resp.Header.Get("Location"), err)
	}
	resp, _ = noRedirect.PostForm(hs.URL+"/console/start", url.Values{"function": {"nobody"}})
	if !strings.Contains(resp.Header.Get("Location"), "ResourceNotFoundException") {
		t.Errorf("unknown function: %q", resp.Header.Get("Location"))
	}
	req, _ := http.NewRequest("POST", hs.URL+"/console/start", strings.NewReader("function=approve"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://attacker.example")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site form post to the console: %v %v", resp.Status, err)
	}
	resp, _ = http.Get(hs.URL + "/execution?arn=nope")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown execution page: %s", resp.Status)
	}
}

// TestLongTextIsShortenedBetweenCharacters shortens a long step result of
// two-byte characters: the page stays valid UTF-8 (no character cut in
// half, shown as a replacement mark).
func TestLongTextIsShortenedBetweenCharacters(t *testing.T) {
	host, _, hs := newConsole(t)
	long := strings.Repeat("é", 300)
	host.Register("accents", durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return durable.Step(ctx, "accents", func(*durable.StepContext) (string, error) { return long, nil })
	}))
	e, _, err := host.Start("accents", "", "", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, host, func() bool { return e.Status() != durabletest.ExecutionRunning })
	body := get(t, hs.URL+"/execution?arn="+url.QueryEscape(e.Arn()))
	if !utf8.ValidString(body) {
		i := strings.Index(body, "result &#34;")
		t.Errorf("the page is not valid UTF-8: %q", body[max(i, 0):max(i, 0)+220])
	}
	if !strings.Contains(body, "result &#34;"+strings.Repeat("é", 99)) {
		t.Error("the page lacks the shortened result")
	}
}

// TestTimesOnAnotherDayShowTheirDate shows a wait that ends in three days:
// its end shows its date, not only a time of day that reads as today's.
func TestTimesOnAnotherDayShowTheirDate(t *testing.T) {
	host, _, hs := newConsole(t)
	host.Register("later", durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return "done", durable.Wait(ctx, "three days", 72*time.Hour)
	}))
	e, _, err := host.Start("later", "", "", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, host, func() bool { return e.Status() != durabletest.ExecutionRunning })
	var end time.Time
	for _, op := range e.Operations() {
		if op.WaitDetails != nil && op.WaitDetails.ScheduledEndTimestamp != nil {
			end = op.WaitDetails.ScheduledEndTimestamp.Time
		}
	}
	if end.IsZero() {
		t.Fatal("the wait has no scheduled end")
	}
	body := get(t, hs.URL+"/execution?arn="+url.QueryEscape(e.Arn()))
	if want := "until " + end.Local().Format("2006-01-02 15:04:05"); !strings.Contains(body, want) {
		i := strings.Index(body, "until ")
		t.Errorf("the page lacks %q; it shows %q", want, body[max(i, 0):max(i, 0)+30])
	}
}

// TestHistoryShowsPayloadCharactersAsTheyAre starts an execution whose
// input holds & < >: the history shows them, not JSON's \u0026 escapes.
func TestHistoryShowsPayloadCharactersAsTheyAre(t *testing.T) {
	host, _, hs := newConsole(t)
	input := `"fish & chips <hot>"`
	e, _, err := host.Start("approve", "", "", &input, "")
	if err != nil {
		t.Fatal(err)
	}
	body := get(t, hs.URL+"/execution?arn="+url.QueryEscape(e.Arn()))
	i := strings.Index(body, `<table id="history">`)
	if i < 0 {
		t.Fatal("the page has no history")
	}
	history := body[i:]
	if !strings.Contains(history, `fish &amp; chips &lt;hot&gt;`) || strings.Contains(history, `\u00`) {
		t.Errorf("the history does not show the input as it is:\n%s", history)
	}
}

// TestRunningDurationCountsOnTheServiceClock skips three days of a wait,
// then starts an execution that waits for a callback: its running
// duration counts from its start on the service clock, which is three
// days ahead of the wall clock, so it is not negative.
func TestRunningDurationCountsOnTheServiceClock(t *testing.T) {
	host, _, hs := newConsole(t)
	host.Register("later", durable.Handler(func(ctx *durable.Context, _ any) (string, error) {
		return "done", durable.Wait(ctx, "three days", 72*time.Hour)
	}))
	first, _, err := host.Start("later", "", "", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	waitUntil(t, host, func() bool { return first.Status() != durabletest.ExecutionRunning })
	e := awaitingCallback(t, host, `"order 7"`)
	for _, page := range []string{"/", "/execution?arn=" + url.QueryEscape(e.Arn())} {
		body := get(t, hs.URL+page)
		for _, neg := range []string{"<td>-", "· -"} {
			if i := strings.Index(body, neg); i >= 0 {
				t.Errorf("%s shows a negative duration: %q", page, body[max(i-60, 0):min(i+60, len(body))])
			}
		}
	}
}

// TestStartFormKeepsTheInvokeSizeLimit starts an execution from the form
// with an input over the Invoke API's 6 MB: it is refused the way the API
// refuses it, and nothing starts.
func TestStartFormKeepsTheInvokeSizeLimit(t *testing.T) {
	host, _, hs := newConsole(t)
	input := `"` + strings.Repeat("a", 6<<20) + `"`
	resp, err := noRedirect.PostForm(hs.URL+"/console/start", url.Values{"function": {"approve"}, "input": {input}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "RequestTooLargeException") {
		t.Errorf("a 6 MB input from the form: redirected to %q, want the RequestTooLargeException", loc)
	}
	if n := len(host.Executions()); n != 0 {
		t.Errorf("%d executions started", n)
	}
}
