package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Error codes of the service (protocol §4.2) that the server itself
// raises; the durable service's own errors arrive as *protocol.APIError.
const (
	codeInvalidParameter = "InvalidParameterValueException"
	codeNotFound         = "ResourceNotFoundException"
	codeTooLarge         = "RequestTooLargeException"
	codeService          = "ServiceException"
	codeForbidden        = "AccessDeniedException"
)

func newError(status int, code, format string, args ...any) *apiError {
	return &apiError{Code: code, StatusCode: status, Message: fmt.Sprintf(format, args...)}
}

// writeError answers err the way the Lambda API does: the code in the
// X-Amzn-ErrorType header, a JSON body with Type and message.
func writeError(w http.ResponseWriter, err error) {
	var e *apiError
	if !errors.As(err, &e) || e.Code == "" {
		e = newError(http.StatusInternalServerError, codeService, "%v", err)
	}
	status := e.StatusCode
	if status == 0 {
		status = http.StatusInternalServerError
	}
	kind := "User"
	if status >= 500 {
		kind = "Service"
	}
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"Type": kind, "message": e.Message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
