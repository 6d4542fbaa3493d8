module github.com/durable-go/durable-go/core

go 1.24
