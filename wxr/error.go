package wxr

import "fmt"

// SyntaxError is input that cannot be read as a WXR export, with its place.
type SyntaxError struct {
	Pos Position
	Msg string
}

func (e *SyntaxError) Error() string {
	return e.Pos.String() + ": " + e.Msg
}

// Warning is a repair made or an oddity met while reading an export.
type Warning struct {
	Pos     Position
	Message string
}

func (w Warning) String() string {
	return w.Pos.String() + ": " + w.Message
}

// String formats the position as file:line:col, leaving out what is unknown.
func (p Position) String() string {
	s := p.File
	if p.Line > 0 {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	if s == "" {
		s = "-"
	}
	return s
}
