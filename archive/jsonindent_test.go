package archive

import (
	"bytes"
	"encoding/json"
	"testing"
)

func checkIndentJSON(t *testing.T, in []byte) {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, in); err != nil {
		return // not JSON: marshalJSON never indents that
	}
	var want bytes.Buffer
	if err := json.Indent(&want, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	if got := appendIndentJSON(nil, compact.Bytes()); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("indent %q:\n got %q\nwant %q", compact.Bytes(), got, want.Bytes())
	}
}

func TestIndentJSON(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `""`, `1`, `null`, `{"a":1}`, `{"a":[],"b":{},"c":[1,2,{"d":"e"}]}`,
		`{"q":"a \"quoted\" \\ word","k\"ey":"v:,{}[]"}`, `["\\\\","\\\"",""]`, `[[[]],[{}]]`,
		`{"html":"<p>&amp;</p>","u":"\u2028 한국어"}`, `-1.5e+10`, `[true,false,null]`,
	} {
		checkIndentJSON(t, []byte(in))
	}
}

func FuzzIndentJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"c\"d"}],"e":{}}`, `[]`, `"x\\"`, `{"":[[]]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkIndentJSON(t, in) })
}
