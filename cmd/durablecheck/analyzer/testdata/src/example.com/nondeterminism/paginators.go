package nondeterminism

import (
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	durable "github.com/durable-go/durable-go/core"
)

// Paginators: a paginator's pages and a waiter's polls are service calls
// too.
func Paginators(ctx *durable.Context) (int, error) { // want Paginators:"runs no durable operation"
	p := lambda.NewListFunctionsPaginator(client, &lambda.ListFunctionsInput{})
	n := 0
	for p.HasMorePages() {
		if _, err := p.NextPage(ctx.Context()); err != nil { // want `nondeterminism: lambda.ListFunctionsPaginator.NextPage in durable code runs again on every replay`
			return n, err
		}
		n++
	}
	w := &lambda.FunctionActiveV2Waiter{}
	return n, w.Wait(ctx.Context(), &lambda.GetFunctionInput{}, 60) // want `nondeterminism: lambda.FunctionActiveV2Waiter.Wait in durable code`
}
