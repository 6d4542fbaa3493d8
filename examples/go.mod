module github.com/durable-go/durable-go/examples

go 1.24

require github.com/durable-go/durable-go/core v0.0.0

replace github.com/durable-go/durable-go/core => ../core
