package website_test

import (
	"bufio"
	"bytes"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestSpecListsEveryRoute keeps api/website.yaml and routes.go in step:
// every route served is documented, and every documented operation is
// served. The spec's layout is plain enough to read by its indentation,
// which spares the module a YAML dependency.
func TestSpecListsEveryRoute(t *testing.T) {
	raw, err := os.ReadFile("../../../api/website.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(raw, []byte("openapi: 3.0.")) {
		t.Fatal("api/website.yaml is not OpenAPI 3.0")
	}
	pathRe := regexp.MustCompile(`^  (/\S*):$`)
	opRe := regexp.MustCompile(`^    (get|put|post|delete|options|head|patch|trace):`)
	param := regexp.MustCompile(`\{[^}]+\}|:[a-z_]+`)
	var documented []string
	inPaths, path := false, ""
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "paths:":
			inPaths = true
		case inPaths && line != "" && line[0] != ' ':
			inPaths = false // the next top-level key
		case !inPaths:
		case pathRe.MatchString(line):
			path = pathRe.FindStringSubmatch(line)[1]
		case opRe.MatchString(line):
			method := opRe.FindStringSubmatch(line)[1]
			documented = append(documented, strings.ToUpper(method)+" "+param.ReplaceAllString(path, "{}"))
		}
	}

	e := newEnv(t)
	var served []string
	for _, r := range e.routes() {
		served = append(served, r.Method+" "+param.ReplaceAllString(r.Path, "{}"))
	}
	slices.Sort(documented)
	slices.Sort(served)
	if len(served) == 0 || !slices.Equal(documented, served) {
		t.Errorf("api/website.yaml documents\n  %v\nthe server serves\n  %v", documented, served)
	}
}

func (e *env) routes() []*echo.Route {
	r, ok := e.handler.(interface{ Routes() []*echo.Route })
	if !ok {
		e.t.Fatal("the handler does not list its routes")
	}
	return r.Routes()
}
