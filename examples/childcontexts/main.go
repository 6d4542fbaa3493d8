// Command childcontexts shows logger inheritance into child contexts: a
// logger set with SetLogger before a child is created is the child's
// logger too, and every line inside a child carries the id of the
// innermost enclosing context as parentId.
//
//	go run ./examples/childcontexts
package main

import (
	"io"
	"log/slog"
	"os"
	"time"

	slogadapter "github.com/durable-go/durable-go/adapters/slog"
	durable "github.com/durable-go/durable-go/core"
	"github.com/durable-go/durable-go/examples/internal/local"
)

// output is where the example's JSON lines go.
var output io.Writer = os.Stdout

// Process ships a parcel: a child context groups the packing steps, and a
// nested child groups the labelling.
func Process(ctx *durable.Context, parcel string) (string, error) {
	ctx.SetLogger(slogadapter.NewHandler(slogadapter.NewLambdaHandler(output, slog.LevelInfo)))
	ctx.Logger().Info("shipping", "parcel", parcel)

	label, err := durable.RunInChildContext(ctx, "pack", func(pack *durable.Context) (string, error) {
		pack.Logger().Info("packing") // parentId = the "pack" context
		if _, err := durable.Step(pack, "box", func(sc *durable.StepContext) (string, error) {
			sc.Logger().Info("choosing a box") // parentId, operationId, operationName, attempt
			return "box-M", nil
		}); err != nil {
			return "", err
		}
		return durable.RunInChildContext(pack, "label", func(label *durable.Context) (string, error) {
			label.Logger().Info("labelling") // parentId = the nested "label" context
			return durable.Step(label, "print", func(*durable.StepContext) (string, error) { return "LBL-" + parcel, nil })
		})
	})
	if err != nil {
		return "", err
	}
	if err := durable.Wait(ctx, "pickup", 2*time.Hour); err != nil {
		return "", err
	}
	ctx.Logger().Info("shipped", "label", label)
	return label, nil
}

func main() { local.Main(durable.Handler(Process), "p-1") }
