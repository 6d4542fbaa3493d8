// Command envfunction is a durable function for durable-local's tests: a
// step returns the working directory, the Lambda variables a function
// reads about itself, and a file deployed next to its code, opened by a
// relative path as code in /var/task does.
package main

import (
	"encoding/json"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	durable "github.com/durable-go/durable-go/core"
)

func report(ctx *durable.Context, _ json.RawMessage) (map[string]string, error) {
	return durable.Step(ctx, "environment", func(*durable.StepContext) (map[string]string, error) {
		env := map[string]string{}
		for _, k := range []string{"LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_EXECUTION_ENV"} {
			if v, ok := os.LookupEnv(k); ok {
				env[k] = v
			}
		}
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		env["cwd"] = wd
		settings, err := os.ReadFile("settings.txt")
		if err != nil {
			return nil, err
		}
		env["settings.txt"] = string(settings)
		return env, nil
	})
}

func main() { lambda.Start(durable.Handler(report)) }
