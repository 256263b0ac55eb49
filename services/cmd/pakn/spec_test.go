package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// spec is an OpenAPI document read for checking responses against it: the
// subset of JSON Schema our specs use (type, required, properties,
// additionalProperties false, items, enum, minimum/maximum, $ref into the
// same file or common.yaml, allOf).
type spec struct {
	docs map[string]map[string]any // file name -> document
}

func loadSpec(t *testing.T, files ...string) *spec {
	t.Helper()
	s := &spec{docs: map[string]map[string]any{}}
	for _, f := range files {
		raw, err := os.ReadFile(filepath.Join("../../../api", f))
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		s.docs[f] = doc
	}
	return s
}

// responseSchema finds the schema of a documented response.
func (s *spec) responseSchema(file, path, method string, status int) (schema map[string]any, where string, err error) {
	paths, _ := s.docs[file]["paths"].(map[string]any)
	op, _ := paths[path].(map[string]any)[strings.ToLower(method)].(map[string]any)
	if op == nil {
		return nil, "", fmt.Errorf("%s %s is not in %s", method, path, file)
	}
	resp, _ := op["responses"].(map[string]any)[strconv.Itoa(status)].(map[string]any)
	if resp == nil {
		return nil, "", fmt.Errorf("%s %s does not document status %d", method, path, status)
	}
	resp, file = s.deref(resp, file)
	content, _ := resp["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	sch, _ := media["schema"].(map[string]any)
	if sch == nil {
		return nil, "", fmt.Errorf("%s %s %d has no JSON schema", method, path, status)
	}
	return sch, file, nil
}

func (s *spec) deref(node map[string]any, file string) (map[string]any, string) {
	for {
		ref, ok := node["$ref"].(string)
		if !ok {
			return node, file
		}
		target, pointer, _ := strings.Cut(ref, "#")
		if target != "" {
			file = target
		}
		var cur any = s.docs[file]
		for _, part := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
			cur = cur.(map[string]any)[part]
		}
		node = cur.(map[string]any)
	}
}

// check validates v against schema and returns every mismatch.
func (s *spec) check(v any, schema map[string]any, file, at string) []string {
	schema, file = s.deref(schema, file)
	var errs []string
	if all, ok := schema["allOf"].([]any); ok {
		for _, sub := range all {
			errs = append(errs, s.check(v, sub.(map[string]any), file, at)...)
		}
	}
	if enum, ok := schema["enum"].([]any); ok {
		found := false
		for _, e := range enum {
			found = found || fmt.Sprint(e) == fmt.Sprint(v)
		}
		if !found {
			errs = append(errs, fmt.Sprintf("%s: %v not in %v", at, v, enum))
		}
	}
	switch schema["type"] {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want an object, got %T", at, v))
		}
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asList(schema["required"]) {
			if _, ok := m[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing required %q", at, r))
			}
		}
		for k, val := range m {
			p, ok := props[k].(map[string]any)
			switch {
			case ok:
				errs = append(errs, s.check(val, p, file, at+"."+k)...)
			case schema["additionalProperties"] == false:
				errs = append(errs, fmt.Sprintf("%s: %q is not in the spec", at, k))
			}
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want an array, got %T", at, v))
		}
		if items, ok := schema["items"].(map[string]any); ok {
			for i, el := range list {
				errs = append(errs, s.check(el, items, file, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want a string, got %T", at, v))
		}
		if schema["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339, str); err != nil {
				errs = append(errs, fmt.Sprintf("%s: %q is not RFC 3339", at, str))
			}
		}
	case "integer", "number":
		f, ok := v.(float64)
		if !ok {
			return append(errs, fmt.Sprintf("%s: want a number, got %T", at, v))
		}
		if schema["type"] == "integer" && f != float64(int64(f)) {
			errs = append(errs, fmt.Sprintf("%s: %v is not an integer", at, f))
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			errs = append(errs, fmt.Sprintf("%s: want a boolean, got %T", at, v))
		}
	}
	return errs
}

func asList(v any) []string {
	var out []string
	for _, x := range asAny(v) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func asAny(v any) []any { l, _ := v.([]any); return l }

var codePath = regexp.MustCompile(`/[0-9A-Z]{4}-[0-9A-Z]{4}`)

// TestAppAPIMatchesSpec drives the app API through a whole item's life and
// checks every response against api/app.yaml.
func TestAppAPIMatchesSpec(t *testing.T) {
	sp := loadSpec(t, "app.yaml", "common.yaml")
	in := start(t, map[string]string{"PAKN_DATA_DIR": t.TempDir()})
	defer in.stop()
	checked := 0
	do := func(c call, want int) map[string]any {
		t.Helper()
		st, body := in.do(t, c)
		if st != want {
			t.Fatalf("%s %s: %d %v, want %d", c.method, c.path, st, body, want)
		}
		path, _, _ := strings.Cut(c.path, "?")
		path = codePath.ReplaceAllString(path, "/{tracking_code}")
		schema, file, err := sp.responseSchema("app.yaml", path, c.method, st)
		if err != nil {
			t.Fatal(err)
		}
		if errs := sp.check(body, schema, file, "body"); len(errs) > 0 {
			t.Fatalf("%s %s %d does not match the spec:\n%s\nbody: %v", c.method, path, st, strings.Join(errs, "\n"), body)
		}
		checked++
		return body
	}
	full := `{"content":"Nắp cống trước nhà số 5 đường số 7 bị vỡ, rất nguy hiểm","title":"Nắp cống vỡ",
	 "ward":"Bình Trị Đông B","address":"5 đường số 7","location":{"lat":10.7555,"lng":106.6101},
	 "citizen":{"id":"dc-100","name":"Đỗ Văn Hùng","phone":"+84911222333","email":"hung@example.vn"},
	 "attachments":[{"url":"https://app.example.vn/photos/1.jpg","name":"1.jpg","content_type":"image/jpeg"}]}`
	res := do(call{method: "POST", path: "/app/v1/feedback", body: full, header: appHeaders("spec-1")}, 202)
	code := res["tracking_code"].(string)
	do(call{method: "POST", path: "/app/v1/feedback", body: `{"content":"khác"}`, header: appHeaders("spec-1")}, 409)
	do(call{method: "POST", path: "/app/v1/feedback", body: `{"content":{"$gt":""}}`, header: appHeaders("spec-2")}, 400)
	do(call{method: "POST", path: "/app/v1/feedback", body: full, header: map[string]string{"Idempotency-Key": "x"}}, 401)
	do(call{method: "POST", path: "/app/v1/feedback", body: `{"content":"` + strings.Repeat("a", 70000) + `"}`, header: appHeaders("spec-3")}, 413)
	do(call{method: "GET", path: "/app/v1/feedback/ZZZZ-ZZZZ", header: appHeaders("")}, 404)
	var status map[string]any
	waitFor(t, 30*time.Second, func() bool {
		status = do(call{method: "GET", path: "/app/v1/feedback/" + code, header: appHeaders("")}, 200)
		return status["status"] == "assigned"
	})
	do(call{method: "POST", path: "/app/v1/feedback/" + code + "/rating", body: `{"score":5}`, header: appHeaders("")}, 409)
	sup := in.login(t, "supervisor")
	_, ticket := in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(sup)})
	official := in.login(t, ticket["assignee"].(map[string]any)["username"].(string))
	if st, _ := in.do(t, call{method: "POST", path: "/desk/v1/tickets/" + code + "/replies", header: bearer(official),
		body: `{"body":"Đã thay nắp cống mới.","public":true}`}); st != http.StatusCreated {
		t.Fatalf("reply %d", st)
	}
	do(call{method: "POST", path: "/app/v1/feedback/" + code + "/rating", body: `{"score":9}`, header: appHeaders("")}, 400)
	rated := do(call{method: "POST", path: "/app/v1/feedback/" + code + "/rating",
		body: `{"score":4,"comment":"Xử lý nhanh, cảm ơn."}`, header: appHeaders("")}, 200)
	if rated["rating"].(map[string]any)["score"] != float64(4) || rated["status"] != "answered" {
		t.Fatalf("rated %v", rated)
	}
	reopened := do(call{method: "POST", path: "/app/v1/feedback/" + code + "/rating",
		body: `{"score":1,"comment":"Nắp cống lại bị vỡ sau hai ngày.","reopen":true}`, header: appHeaders("")}, 200)
	if reopened["status"] != "assigned" || reopened["rating"].(map[string]any)["score"] != float64(1) {
		t.Fatalf("reopened %v", reopened)
	}
	_, inbox := in.do(t, call{method: "GET", path: "/desk/v1/tickets", header: bearer(official)})
	if !strings.Contains(toJSON(inbox), code) {
		t.Fatalf("the reopened item is not back in its official's inbox: %v", inbox)
	}
	mine := do(call{method: "GET", path: "/app/v1/feedback?citizen_id=dc-100", header: appHeaders("")}, 200)
	if items := mine["items"].([]any); len(items) != 1 || items[0].(map[string]any)["tracking_code"] != code {
		t.Fatalf("my items %v", mine)
	}
	do(call{method: "GET", path: "/app/v1/feedback", header: appHeaders("")}, 400)
	_, ticket = in.do(t, call{method: "GET", path: "/desk/v1/tickets/" + code, header: bearer(sup)})
	if !strings.Contains(toJSON(ticket["history"]), `"rated"`) {
		t.Fatalf("the rating is not in the ticket's history: %v", ticket["history"])
	}
	t.Logf("%d responses checked against api/app.yaml", checked)
}
