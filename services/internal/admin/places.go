package admin

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/seed"
	"pakn.local/services/internal/web"
)

// Places: wards and their neighbourhoods (khu phố), with the streets and
// landmarks the router reads in addresses. A ward is edited without its
// neighbourhoods, and a neighbourhood on its own: streets and landmarks
// change far more often than a ward's boundary.

// Limits on a place.
const (
	maxAliases      = 50
	maxStreets      = 500
	maxLandmarks    = 200
	maxPlaceName    = 100
	maxBoundaryRing = 2000
)

type wardRequest struct {
	Name     string       `json:"name"`
	Aliases  []string     `json:"aliases"`
	UnitID   string       `json:"unit_id"`
	Boundary [][2]float64 `json:"boundary"`
	Reason   string       `json:"reason"`
}

type neighbourhoodRequest struct {
	Name      string            `json:"name"`
	Streets   []string          `json:"streets"`
	Landmarks []landmarkRequest `json:"landmarks"`
	Reason    string            `json:"reason"`
}

type landmarkRequest struct {
	Name    string   `json:"name"`
	Aliases []string `json:"aliases"`
}

func (r wardRequest) why() string          { return r.Reason }
func (r neighbourhoodRequest) why() string { return r.Reason }

// decodeWard decodes and checks a PUT of a ward. That the unit exists and
// that the boundary does not overlap another ward need the organisation:
// checkChange (seed.Validate) sees to those.
func decodeWard(body []byte) (wardRequest, error) {
	var r wardRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	r.Name = strings.TrimSpace(r.Name)
	if err := checkText("name", r.Name, maxName, true); err != nil {
		return r, err
	}
	var err error
	if r.Aliases, err = checkNames("aliases", r.Aliases, maxAliases); err != nil {
		return r, err
	}
	if err := checkID("unit_id", r.UnitID); err != nil {
		return r, err
	}
	if len(r.Boundary) > maxBoundaryRing {
		return r, invalidf("boundary", "Ranh giới tối đa %d điểm.", "a boundary has at most %d points", maxBoundaryRing)
	}
	if err := seed.CheckRing(r.Boundary); err != nil {
		return r, feedback.Invalid("boundary",
			"Ranh giới phải là một vòng khép kín từ 4 điểm [kinh độ, vĩ độ], điểm cuối trùng điểm đầu.",
			"boundary "+err.Error())
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

// decodeNeighbourhood decodes and checks a PUT of a neighbourhood.
func decodeNeighbourhood(body []byte) (neighbourhoodRequest, error) {
	var r neighbourhoodRequest
	if err := web.DecodeJSON(body, &r); err != nil {
		return r, err
	}
	r.Name = strings.TrimSpace(r.Name)
	if err := checkText("name", r.Name, maxName, true); err != nil {
		return r, err
	}
	var err error
	if r.Streets, err = checkNames("streets", r.Streets, maxStreets); err != nil {
		return r, err
	}
	if len(r.Landmarks) > maxLandmarks {
		return r, invalidf("landmarks", "Tối đa %d địa danh.", "at most %d landmarks", maxLandmarks)
	}
	for i := range r.Landmarks {
		l := &r.Landmarks[i]
		field := fmt.Sprintf("landmarks[%d]", i)
		l.Name = strings.TrimSpace(l.Name)
		if err := checkText(field, l.Name, maxPlaceName, true); err != nil {
			return r, err
		}
		if l.Aliases, err = checkNames(field, l.Aliases, maxAliases); err != nil {
			return r, err
		}
	}
	return r, checkText("reason", r.Reason, maxReason, false)
}

// checkNames trims a list of names (aliases, streets) and refuses an empty
// or overlong one; nil comes back as an empty list.
func checkNames(field string, names []string, max int) ([]string, error) {
	if len(names) > max {
		return nil, invalidf(field, "Tối đa %d tên.", "at most %d names", max)
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		n = strings.TrimSpace(n)
		if err := checkText(field, n, maxPlaceName, true); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func (r neighbourhoodRequest) neighbourhood(code string) feedback.Neighbourhood {
	n := feedback.Neighbourhood{Code: code, Name: r.Name, Streets: r.Streets}
	for _, l := range r.Landmarks {
		n.Landmarks = append(n.Landmarks, feedback.Landmark{Name: l.Name, Aliases: l.Aliases})
	}
	return n
}

// handlePutWard creates a ward or changes its name, aliases, unit or
// boundary; its neighbourhoods stay as they are.
func handlePutWard(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		code := c.Param("code")
		if err := checkID("code", code); err != nil {
			return err
		}
		in, err := readEdit(c, store, decodeWard)
		if err != nil {
			return err
		}
		old, exists := findWard(in.org, code)
		w := feedback.Ward{Code: code, Name: in.req.Name, Aliases: in.req.Aliases, UnitID: in.req.UnitID,
			Boundary: in.req.Boundary, Neighbourhoods: old.Neighbourhoods}
		if _, ok := findUnit(in.org, w.UnitID); !ok {
			return unknownUnit("unit_id", w.UnitID)
		}
		if err := checkChange(in.org, withWard(in.org, w), in.force); err != nil {
			return err
		}
		var before any
		if exists {
			before = toWardView(old, true)
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindWard, action: "put", target: code, reason: in.reason, announce: true,
			before: before, after: toWardView(w, true),
			apply: func(ctx context.Context) error { return store.PutWard(ctx, w) },
		})
		return answer(c, ch, err, !exists)
	}
}

// handlePutNeighbourhood creates or replaces one neighbourhood of a ward:
// its name, streets and landmarks.
func handlePutNeighbourhood(store Store, j *journal) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		wardCode, code := c.Param("ward"), c.Param("code")
		if err := checkID("ward", wardCode); err != nil {
			return err
		}
		if err := checkID("code", code); err != nil {
			return err
		}
		in, err := readEdit(c, store, decodeNeighbourhood)
		if err != nil {
			return err
		}
		w, ok := findWard(in.org, wardCode)
		if !ok {
			return feedback.Errorf(feedback.ENOTFOUND, "Không có phường %s.", "no ward %s", wardCode)
		}
		n := in.req.neighbourhood(code)
		old, exists := find(w.Neighbourhoods, func(x feedback.Neighbourhood) bool { return x.Code == code })
		after := w
		after.Neighbourhoods = replaceOrAdd(w.Neighbourhoods, n, func(x feedback.Neighbourhood) bool { return x.Code == code })
		if err := checkChange(in.org, withWard(in.org, after), in.force); err != nil {
			return err
		}
		var before any
		if exists {
			before = toNeighbourhoodView(old)
		}
		ch, err := j.commit(ctx, signedIn(c), edit{
			kind: kindWard, action: "neighbourhood", target: wardCode + "/" + code, reason: in.reason, announce: true,
			before: before, after: toNeighbourhoodView(n),
			apply: func(ctx context.Context) error { return store.PutWard(ctx, after) },
		})
		return answer(c, ch, err, !exists)
	}
}

func withWard(org feedback.Organisation, w feedback.Ward) feedback.Organisation {
	org.Wards = replaceOrAdd(org.Wards, w, func(x feedback.Ward) bool { return x.Code == w.Code })
	return org
}

// handleWardsGeoJSON gives the wards' boundaries as a GeoJSON
// FeatureCollection, for checking them on any map tool; the properties
// say which ward and unit each polygon is.
func handleWardsGeoJSON(store Store) echo.HandlerFunc {
	type geometry struct {
		Type        string         `json:"type"`
		Coordinates [][][2]float64 `json:"coordinates"`
	}
	type feature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   geometry          `json:"geometry"`
	}
	type collection struct {
		Type     string    `json:"type"`
		Features []feature `json:"features"`
	}
	return func(c echo.Context) error {
		org, err := store.Organisation(c.Request().Context())
		if err != nil {
			return err
		}
		out := collection{Type: "FeatureCollection", Features: make([]feature, 0, len(org.Wards))}
		for _, w := range org.Wards {
			out.Features = append(out.Features, feature{Type: "Feature",
				Properties: map[string]string{"code": w.Code, "name": w.Name, "unit_id": w.UnitID},
				Geometry:   geometry{Type: "Polygon", Coordinates: [][][2]float64{w.Boundary}}})
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/geo+json")
		return c.JSON(http.StatusOK, out)
	}
}
