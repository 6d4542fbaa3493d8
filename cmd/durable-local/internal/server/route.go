package server

// RouteCheckpoints sends the checkpoint and state calls of the executions
// route knows to the service it names, instead of the Host: a test
// harness running its own in-memory services (durabletest.Runner) over
// real function binaries uses it. Other executions stay with the Host.
func (s *Server) RouteCheckpoints(route func(arn string) (service, bool)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.route = route
}

func (s *Server) serviceFor(arn string) service {
	s.mu.Lock()
	route := s.route
	s.mu.Unlock()
	if route != nil {
		if svc, ok := route(arn); ok {
			return svc
		}
	}
	return s.host
}
