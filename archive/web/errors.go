package web

import (
	"errors"
	"fmt"
	"net/http"
)

// Errors a Get can wrap; test with errors.Is.
var (
	// ErrBlocked: the address is not public and AllowPrivate is off.
	ErrBlocked = errors.New("address not allowed")
	// ErrTooManyRedirects: more than MaxRedirects hops (or a loop).
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrScheme: a URL that is not http or https, or has no host.
	ErrScheme = errors.New("unsupported URL")
)

// Error is a failed Get: the URL, how many attempts were made, and why the
// last one failed.
type Error struct {
	URL      string
	Attempts int
	Err      error
}

func (e *Error) Error() string {
	if e.Attempts > 1 {
		return fmt.Sprintf("GET %s: %d attempts: %v", e.URL, e.Attempts, e.Err)
	}
	return fmt.Sprintf("GET %s: %v", e.URL, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// StatusError is a retryable HTTP status that persisted after the last retry.
type StatusError struct {
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("HTTP %d %s", e.Code, http.StatusText(e.Code))
}
