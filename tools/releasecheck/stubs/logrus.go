//go:build ignore

// Stubs for adapters/logrus/README.md: the order types and the team's existing logger.
package main

import "github.com/sirupsen/logrus"

type (
	Order   struct{ ID string }
	Receipt struct{}
)

var teamLogger = logrus.New()

func newTeamLogger() *logrus.Logger { return logrus.New() }
