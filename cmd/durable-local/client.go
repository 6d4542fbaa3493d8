package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// newClient returns a Lambda client for a durable-local endpoint: the
// same aws-sdk-go-v2 client a function uses, with dummy credentials.
func newClient(endpoint string) *lambda.Client {
	return lambda.New(lambda.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "durable-local", SecretAccessKey: "durable-local"}, nil
		}),
		RetryMaxAttempts: 1,
	})
}

func defaultEndpoint() string {
	if v := os.Getenv("AWS_ENDPOINT_URL_LAMBDA"); v != "" {
		return v
	}
	return "http://" + defaultAddr
}

func clientFlags(name string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs, fs.String("endpoint", defaultEndpoint(), "durable-local URL (default $AWS_ENDPOINT_URL_LAMBDA or http://"+defaultAddr+")")
}

func invokeCmd(args []string, stdout, stderr io.Writer) error {
	fs, endpoint := clientFlags("invoke", stderr)
	name := fs.String("name", "", "durable execution name (idempotency key)")
	async := fs.Bool("async", false, "return once the execution started (InvocationType Event)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() < 1 || fs.NArg() > 2 {
		return fmt.Errorf("%w: want <function> [input-json]", errUsage)
	}
	in := &lambda.InvokeInput{FunctionName: aws.String(fs.Arg(0))}
	if fs.NArg() == 2 {
		in.Payload = []byte(fs.Arg(1))
	}
	if *name != "" {
		in.DurableExecutionName = name
	}
	if *async {
		in.InvocationType = lambdatypes.InvocationTypeEvent
	}
	out, err := newClient(*endpoint).Invoke(context.Background(), in)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, aws.ToString(out.DurableExecutionArn))
	if !*async {
		fmt.Fprintln(stdout, string(out.Payload))
		if out.FunctionError != nil {
			return errExecutionNotSucceeded
		}
	}
	return nil
}

func callbackCmd(args []string, stdout, stderr io.Writer) error {
	fs, endpoint := clientFlags("callback", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a := fs.Args()
	if len(a) < 2 {
		return fmt.Errorf("%w: want succeed|fail|heartbeat <callback-id> ...", errUsage)
	}
	c, ctx, id := newClient(*endpoint), context.Background(), aws.String(a[1])
	var err error
	switch a[0] {
	case "succeed":
		var result []byte
		if len(a) > 2 {
			result = []byte(a[2])
		}
		_, err = c.SendDurableExecutionCallbackSuccess(ctx, &lambda.SendDurableExecutionCallbackSuccessInput{CallbackId: id, Result: result})
	case "fail":
		e := &lambdatypes.ErrorObject{ErrorType: aws.String("CallbackError")}
		if len(a) > 2 {
			e.ErrorType = aws.String(a[2])
		}
		if len(a) > 3 {
			e.ErrorMessage = aws.String(a[3])
		}
		_, err = c.SendDurableExecutionCallbackFailure(ctx, &lambda.SendDurableExecutionCallbackFailureInput{CallbackId: id, Error: e})
	case "heartbeat":
		_, err = c.SendDurableExecutionCallbackHeartbeat(ctx, &lambda.SendDurableExecutionCallbackHeartbeatInput{CallbackId: id})
	default:
		return fmt.Errorf("%w: unknown callback action %q", errUsage, a[0])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "callback %s: %s sent\n", a[1], a[0])
	return nil
}

func stopCmd(args []string, stdout, stderr io.Writer) error {
	fs, endpoint := clientFlags("stop", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: want <execution-arn>", errUsage)
	}
	out, err := newClient(*endpoint).StopDurableExecution(context.Background(),
		&lambda.StopDurableExecutionInput{DurableExecutionArn: aws.String(fs.Arg(0))})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "stopped at %s\n", aws.ToTime(out.StopTimestamp).Format(time.RFC3339))
	return nil
}

func historyCmd(args []string, stdout, stderr io.Writer) error {
	fs, endpoint := clientFlags("history", stderr)
	asJSON := fs.Bool("json", false, "print the raw events as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: want <execution-arn>", errUsage)
	}
	c := newClient(*endpoint)
	p := lambda.NewGetDurableExecutionHistoryPaginator(c, &lambda.GetDurableExecutionHistoryInput{
		DurableExecutionArn: aws.String(fs.Arg(0)), IncludeExecutionData: aws.Bool(true)})
	var events []lambdatypes.Event
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			return err
		}
		events = append(events, page.Events...)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(events)
	}
	for _, ev := range events {
		fmt.Fprintf(stdout, "%3d  %s  %-24s %s\n", aws.ToInt32(ev.EventId), aws.ToTime(ev.EventTimestamp).Format("15:04:05.000"),
			ev.EventType, aws.ToString(ev.Name))
	}
	return nil
}

func listCmd(args []string, stdout, stderr io.Writer) error {
	fs, endpoint := clientFlags("list", stderr)
	function := fs.String("function", "", "function whose executions to list")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *function == "" {
		return fmt.Errorf("%w: -function is required", errUsage)
	}
	p := lambda.NewListDurableExecutionsByFunctionPaginator(newClient(*endpoint),
		&lambda.ListDurableExecutionsByFunctionInput{FunctionName: function})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			return err
		}
		for _, e := range page.DurableExecutions {
			fmt.Fprintf(stdout, "%-10s %s  %s\n", e.Status, aws.ToTime(e.StartTimestamp).Format(time.RFC3339), aws.ToString(e.DurableExecutionArn))
		}
	}
	return nil
}
