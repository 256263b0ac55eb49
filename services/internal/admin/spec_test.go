package admin_test

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"gopkg.in/yaml.v3"
)

// TestSpecListsEveryRoute keeps api/admin.yaml and routes.go in step: every
// route served is documented, and every documented path is served.
func TestSpecListsEveryRoute(t *testing.T) {
	raw, err := os.ReadFile("../../../api/admin.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		OpenAPI string                               `yaml:"openapi"`
		Paths   map[string]map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(spec.OpenAPI, "3.0") {
		t.Errorf("openapi %q", spec.OpenAPI)
	}
	param := regexp.MustCompile(`\{[^}]+\}|:[a-z_]+`)
	var documented []string
	for path, ops := range spec.Paths {
		for method, op := range ops {
			if method == "parameters" {
				continue
			}
			if _, ok := op["responses"]; !ok {
				t.Errorf("%s %s has no responses", method, path)
			}
			documented = append(documented, strings.ToUpper(method)+" "+param.ReplaceAllString(path, "{}"))
		}
	}
	e := newEnv(t, nil)
	r, ok := e.handler.(interface{ Routes() []*echo.Route })
	if !ok {
		t.Fatal("the handler does not list its routes")
	}
	var served []string
	for _, rt := range r.Routes() {
		served = append(served, rt.Method+" "+param.ReplaceAllString(rt.Path, "{}"))
	}
	slices.Sort(documented)
	slices.Sort(served)
	if !slices.Equal(documented, served) {
		t.Errorf("api/admin.yaml documents\n  %v\nthe server serves\n  %v", documented, served)
	}
}
