package seed_test

import (
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/seed"
)

func mustDefault(t *testing.T) feedback.Organisation {
	t.Helper()
	org, err := seed.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return org
}

func TestDefaultLoadsAndValidates(t *testing.T) {
	org := mustDefault(t)
	if err := seed.Validate(org); err != nil {
		t.Fatalf("Validate(Default()): %v", err)
	}
	if len(org.Categories) == 0 || len(org.Holidays) == 0 || len(org.Officials) == 0 {
		t.Fatalf("Default has %d categories, %d holidays, %d officials; want some of each",
			len(org.Categories), len(org.Holidays), len(org.Officials))
	}
}

// TestDefaultMakeUpDays checks the Saturdays of 2026 that make up for a
// swapped day off: Friday 2/1 for Saturday 10/1, Monday 31/8 for Saturday 22/8.
func TestDefaultMakeUpDays(t *testing.T) {
	org := mustDefault(t)
	var working []string
	for _, h := range org.Holidays {
		if h.Working {
			working = append(working, h.Date)
		}
	}
	if want := []string{"2026-01-10", "2026-08-22"}; !slices.Equal(working, want) {
		t.Errorf("working entries = %v, want %v", working, want)
	}
}

func TestDefaultWards(t *testing.T) {
	org := mustDefault(t)
	want := []string{
		"An Lạc", "An Lạc A", "Bình Hưng Hòa", "Bình Hưng Hòa A", "Bình Hưng Hòa B",
		"Bình Trị Đông", "Bình Trị Đông A", "Bình Trị Đông B", "Tân Tạo", "Tân Tạo A",
	}
	var names []string
	total := 0
	for _, w := range org.Wards {
		names = append(names, w.Name)
		total += len(w.Neighbourhoods)
		for _, n := range w.Neighbourhoods {
			if len(n.Streets) < 1 || len(n.Streets) > 4 {
				t.Errorf("neighbourhood %s has %d streets, want 1 to 4", n.Code, len(n.Streets))
			}
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("wards = %q\nwant    %q", names, want)
	}
	if total != 130 {
		t.Errorf("%d neighbourhoods, want 130", total)
	}
}

// An address names a street; some streets must belong to one ward only, or
// no address could point to a ward.
func TestEveryWardHasStreetsOfItsOwn(t *testing.T) {
	org := mustDefault(t)
	wardsOf := map[string]map[string]bool{}
	for _, w := range org.Wards {
		for _, n := range w.Neighbourhoods {
			for _, s := range n.Streets {
				if wardsOf[s] == nil {
					wardsOf[s] = map[string]bool{}
				}
				wardsOf[s][w.Code] = true
			}
		}
	}
	for _, w := range org.Wards {
		own := map[string]bool{}
		for _, n := range w.Neighbourhoods {
			for _, s := range n.Streets {
				if len(wardsOf[s]) == 1 {
					own[s] = true
				}
			}
		}
		if len(own) < 3 {
			t.Errorf("ward %s has %d streets of its own, want at least 3", w.Code, len(own))
		}
	}
}

// Validate checks rings, not geometry; this checks that the demo map makes
// sense: each ring is a simple polygon drawn counter-clockwise, as GeoJSON
// asks; the wards tile the district, no two overlapping and no hole between
// them; and places whose position is known fall in their ward.
func TestBoundariesTileTheDistrict(t *testing.T) {
	org := mustDefault(t)
	type edge struct{ a, b [2]float64 }
	edges := map[edge]string{} // directed edge → the ward whose ring has it
	for _, w := range org.Wards {
		ring := w.Boundary
		if area := ringArea(ring); area <= 0 {
			t.Errorf("ward %s: ring is clockwise or flat (area %g), want counter-clockwise", w.Code, area)
		}
		for i := 1; i < len(ring); i++ {
			for j := i + 2; j < len(ring); j++ {
				if i == 1 && j == len(ring)-1 {
					continue // the first and last edges meet at the closing point
				}
				if segmentsCross(ring[i-1], ring[i], ring[j-1], ring[j]) {
					t.Errorf("ward %s: edges %d and %d cross", w.Code, i, j)
				}
			}
			e := edge{ring[i-1], ring[i]}
			if other, dup := edges[e]; dup {
				t.Errorf("edge %v is in ward %s and ward %s the same way round: they overlap", e, other, w.Code)
			}
			edges[e] = w.Code
		}
	}
	// An edge inside the district is shared by two wards, one each way round
	// (the wards share their vertices along it). The edges that are not form
	// the district's outline: one closed loop, or there is a hole.
	next := map[[2]float64][2]float64{}
	for e := range edges {
		if _, shared := edges[edge{e.b, e.a}]; shared {
			continue
		}
		if _, dup := next[e.a]; dup {
			t.Fatalf("the outline passes %v twice", e.a)
		}
		next[e.a] = e.b
	}
	var start [2]float64
	for p := range next {
		start = p
		break
	}
	n := 0
	for p := start; n == 0 || p != start; p = next[p] {
		if _, ok := next[p]; !ok {
			t.Fatalf("the outline stops at %v", p)
		}
		n++
	}
	if n != len(next) {
		t.Errorf("the outline is %d edges, but %d more edges are in no loop with it: a hole between wards", n, len(next)-n)
	}
	// Where the district is: Quận Bình Tân lies within lat 10.71-10.831, lng 106.558-106.625.
	for _, w := range org.Wards {
		for _, p := range w.Boundary {
			if p[1] < 10.71 || p[1] > 10.831 || p[0] < 106.558 || p[0] > 106.625 {
				t.Errorf("ward %s: point %v is outside the district", w.Code, p)
			}
		}
	}
	// Places whose position is known (bus stops, to about 50 m).
	known := []struct {
		place    string
		lng, lat float64
		ward     string
	}{
		{"Bến xe Miền Tây", 106.61947, 10.73947, "an-lac"},
		{"Bệnh viện Triều An", 106.61637, 10.73968, "an-lac"},
		{"Bệnh viện Bình Tân", 106.59750, 10.76727, "binh-tri-dong-a"},
		{"UBND phường Bình Hưng Hòa B", 106.59387, 10.81420, "binh-hung-hoa-b"},
	}
	for _, k := range known {
		for _, w := range org.Wards {
			if got, want := inside([2]float64{k.lng, k.lat}, w.Boundary), w.Code == k.ward; got != want {
				t.Errorf("%s inside %s = %v, want %v", k.place, w.Code, got, want)
			}
		}
	}
}

// inside is the even-odd ray test.
func inside(p [2]float64, ring [][2]float64) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// ringArea is the signed area of a closed ring: positive when counter-clockwise.
func ringArea(ring [][2]float64) float64 {
	a := 0.0
	for i := 1; i < len(ring); i++ {
		a += ring[i-1][0]*ring[i][1] - ring[i][0]*ring[i-1][1]
	}
	return a / 2
}

// segmentsCross reports whether segments pq and rs touch or cross.
func segmentsCross(p, q, r, s [2]float64) bool {
	cross := func(o, a, b [2]float64) float64 { return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0]) }
	d1, d2, d3, d4 := cross(r, s, p), cross(r, s, q), cross(p, q, r), cross(p, q, s)
	if ((d1 > 0) != (d2 > 0)) && ((d3 > 0) != (d4 > 0)) && d1 != 0 && d2 != 0 && d3 != 0 && d4 != 0 {
		return true
	}
	on := func(a, b, c [2]float64) bool { // c on segment ab, given collinear
		return min(a[0], b[0]) <= c[0] && c[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= c[1] && c[1] <= max(a[1], b[1])
	}
	return (d1 == 0 && on(r, s, p)) || (d2 == 0 && on(r, s, q)) || (d3 == 0 && on(p, q, r)) || (d4 == 0 && on(p, q, s))
}

// Landmarks are data: 25 to 40 real places, each in the ward of its
// pre-2025 address, whatever ward its name mentions.
func TestDefaultLandmarks(t *testing.T) {
	org := mustDefault(t)
	wardOf := map[string]string{} // name or alias → ward
	n := 0
	for _, w := range org.Wards {
		for _, nb := range w.Neighbourhoods {
			for _, l := range nb.Landmarks {
				n++
				for _, a := range append([]string{l.Name}, l.Aliases...) {
					wardOf[a] = w.Code
				}
			}
		}
	}
	if n < 25 || n > 40 {
		t.Errorf("%d landmarks, want 25 to 40", n)
	}
	for place, want := range map[string]string{
		"Bến xe Miền Tây":         "an-lac",
		"Khu công nghiệp Tân Tạo": "tan-tao-a", // mostly in Tân Tạo A, whatever its name says
		"Aeon Mall Bình Tân":      "binh-tri-dong-b",
		"Big C An Lạc":            "binh-tri-dong-b", // on Quốc lộ 1A, not in An Lạc
	} {
		if got := wardOf[place]; got != want {
			t.Errorf("%q is in ward %q, want %q", place, got, want)
		}
	}
}

func TestDefaultStaffing(t *testing.T) {
	org := mustDefault(t)
	type staff struct{ heads, officials, onDuty, offDuty int }
	byUnit := map[string]*staff{}
	inactive := 0
	for _, u := range org.Units {
		byUnit[u.ID] = &staff{}
	}
	for _, o := range org.Officials {
		s := byUnit[o.UnitID]
		switch o.Role {
		case feedback.RoleHead:
			s.heads++
		case feedback.RoleOfficial:
			s.officials++
			if o.OnDuty {
				s.onDuty++
			} else {
				s.offDuty++
			}
		}
		if !o.Active {
			inactive++
		}
	}
	for id, s := range byUnit {
		if s.heads != 1 || s.officials < 2 || s.officials > 4 || s.onDuty == 0 || s.offDuty == 0 {
			t.Errorf("unit %s: %+v; want 1 head and 2-4 officials, some on duty and some off", id, *s)
		}
	}
	if inactive == 0 {
		t.Error("no inactive official; the demo should show one")
	}
	for _, id := range []string{"dept-qldt", "dept-tnmt", "dept-ldtbxh", "dept-kt", "dept-vhtt", "dept-vp"} {
		if byUnit[id] == nil {
			t.Errorf("department %s missing", id)
		}
	}
}

// The router and the category file are written against these codes.
func TestDefaultCategories(t *testing.T) {
	org := mustDefault(t)
	var codes []string
	for _, c := range org.Categories {
		codes = append(codes, c.Code)
	}
	for _, want := range []string{
		"giao-thong", "ngap-nuoc", "chieu-sang", "ve-sinh-moi-truong", "o-nhiem", "trat-tu-do-thi",
		"xay-dung", "an-ninh-trat-tu", "an-toan-thuc-pham", "chinh-sach-xa-hoi", "thu-tuc-hanh-chinh", "khac",
	} {
		if !slices.Contains(codes, want) {
			t.Errorf("category %q missing from %q", want, codes)
		}
	}
}

// The classifier's weaker phrases travel with their category; a category
// written without any loads with none.
func TestLoadContextKeywords(t *testing.T) {
	fsys := seedFS(t, nil)
	var cats []map[string]any
	if err := json.Unmarshal(fsys[seed.CategoriesFile].Data, &cats); err != nil {
		t.Fatal(err)
	}
	cats[0]["context_keywords"] = []string{"via he", "quán ăn"}
	delete(cats[1], "context_keywords")
	data, err := json.Marshal(cats)
	if err != nil {
		t.Fatal(err)
	}
	fsys[seed.CategoriesFile] = &fstest.MapFile{Data: data}
	org, err := seed.Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if got := org.Categories[0].ContextKeywords; !slices.Equal(got, []string{"via he", "quán ăn"}) {
		t.Errorf("%s: context keywords %q", org.Categories[0].Code, got)
	}
	if got := org.Categories[1].ContextKeywords; got != nil {
		t.Errorf("%s: context keywords %q, want none", org.Categories[1].Code, got)
	}
	// Default's categories use them, none empty.
	n := 0
	for _, c := range mustDefault(t).Categories {
		for _, k := range c.ContextKeywords {
			if strings.TrimSpace(k) == "" {
				t.Errorf("%s: empty context keyword", c.Code)
			}
			n++
		}
	}
	if n == 0 {
		t.Error("no category of Default has context keywords")
	}
}

func TestValidateRejects(t *testing.T) {
	// Helpers find by key so that the cases do not depend on file order.
	unit := func(org *feedback.Organisation, id string) *feedback.Unit {
		i := slices.IndexFunc(org.Units, func(u feedback.Unit) bool { return u.ID == id })
		return &org.Units[i]
	}
	ward := func(org *feedback.Organisation, code string) *feedback.Ward {
		i := slices.IndexFunc(org.Wards, func(w feedback.Ward) bool { return w.Code == code })
		return &org.Wards[i]
	}
	official := func(org *feedback.Organisation, username string) *feedback.Official {
		i := slices.IndexFunc(org.Officials, func(o feedback.Official) bool { return o.Username == username })
		return &org.Officials[i]
	}
	category := func(org *feedback.Organisation, code string) *feedback.Category {
		i := slices.IndexFunc(org.Categories, func(c feedback.Category) bool { return c.Code == code })
		return &org.Categories[i]
	}
	tests := []struct {
		name   string
		mutate func(org *feedback.Organisation)
		want   string // part of the message naming what is wrong
	}{
		{"duplicate unit id", func(o *feedback.Organisation) {
			o.Units = append(o.Units, *unit(o, "dept-kt"))
		}, `unit id "dept-kt" is used twice`},
		{"unknown unit kind", func(o *feedback.Organisation) {
			unit(o, "dept-kt").Kind = "committee"
		}, `unit "dept-kt" has kind "committee"`},
		{"on-time target out of range", func(o *feedback.Organisation) {
			unit(o, "dept-kt").OnTimeTarget = 95
		}, `unit "dept-kt" has on-time target 95`},
		{"department with a ward", func(o *feedback.Organisation) {
			unit(o, "dept-kt").Ward = "an-lac"
		}, `department "dept-kt" names ward "an-lac"`},
		{"duplicate ward code", func(o *feedback.Organisation) {
			ward(o, "tan-tao-a").Code = "tan-tao"
		}, `ward code "tan-tao" is used twice`},
		{"ward unit missing", func(o *feedback.Organisation) {
			ward(o, "an-lac").UnitID = "ward-nowhere"
		}, `ward "an-lac": unit "ward-nowhere" does not exist`},
		{"ward served by a department", func(o *feedback.Organisation) {
			ward(o, "an-lac").UnitID = "dept-qldt"
		}, `ward "an-lac": unit "dept-qldt" is a department`},
		{"ward unit points to another ward", func(o *feedback.Organisation) {
			unit(o, "ward-an-lac").Ward = "an-lac-a"
		}, `ward "an-lac": unit "ward-an-lac" belongs to ward "an-lac-a"`},
		{"ward unit of an unknown ward", func(o *feedback.Organisation) {
			u := *unit(o, "ward-an-lac")
			u.ID, u.Ward = "ward-phuong-10", "phuong-10"
			o.Units = append(o.Units, u)
		}, `unit "ward-phuong-10": ward "phuong-10" does not exist`},
		{"alias shared by two wards", func(o *feedback.Organisation) {
			w := ward(o, "an-lac-a")
			w.Aliases = append(w.Aliases, "p. AN LAC")
		}, `alias "p. AN LAC" is also ward "an-lac"'s`},
		{"duplicate neighbourhood code", func(o *feedback.Organisation) {
			w := ward(o, "tan-tao")
			w.Neighbourhoods[1].Code = w.Neighbourhoods[0].Code
		}, `neighbourhood code "tan-tao-kp1" is used in ward "tan-tao" and ward "tan-tao"`},
		{"boundary not closed", func(o *feedback.Organisation) {
			w := ward(o, "tan-tao")
			w.Boundary = w.Boundary[:len(w.Boundary)-1]
		}, `ward "tan-tao": boundary is not closed`},
		{"boundary too short", func(o *feedback.Organisation) {
			w := ward(o, "tan-tao")
			w.Boundary = [][2]float64{w.Boundary[0], w.Boundary[1], w.Boundary[0]}
		}, `ward "tan-tao": boundary has 3 points`},
		{"boundary written lat, lng", func(o *feedback.Organisation) {
			w := ward(o, "tan-tao")
			w.Boundary = [][2]float64{{10.76, 106.57}, {10.76, 106.6}, {10.79, 106.6}, {10.76, 106.57}}
		}, `ward "tan-tao": boundary point 0 [10.76 106.57] is out of range`},
		{"landmark without a name", func(o *feedback.Organisation) {
			n := &ward(o, "an-lac").Neighbourhoods[0]
			n.Landmarks = append(n.Landmarks, feedback.Landmark{Name: " ", Aliases: []string{"x"}})
		}, `neighbourhood "an-lac-kp1" has a landmark with no name`},
		{"landmark with an empty alias", func(o *feedback.Organisation) {
			n := &ward(o, "an-lac").Neighbourhoods[0]
			n.Landmarks = append(n.Landmarks, feedback.Landmark{Name: "Chợ An Lạc", Aliases: []string{""}})
		}, `neighbourhood "an-lac-kp1": landmark "Chợ An Lạc" has an empty alias`},
		{"landmark in two neighbourhoods", func(o *feedback.Organisation) {
			n := &ward(o, "tan-tao").Neighbourhoods[0]
			n.Landmarks = append(n.Landmarks, feedback.Landmark{Name: "Khu công nghiệp Tân Tạo"})
		}, `landmark name or alias "Khu công nghiệp Tân Tạo" is in neighbourhood "tan-tao-kp1" and neighbourhood "tan-tao-a-kp4"`},
		{"landmark named like a ward", func(o *feedback.Organisation) {
			n := &ward(o, "an-lac").Neighbourhoods[0]
			n.Landmarks = append(n.Landmarks, feedback.Landmark{Name: "Chợ An Lạc", Aliases: []string{"P. Tân Tạo"}})
		}, `neighbourhood "an-lac-kp1": landmark "p. tân tạo" is also ward "tan-tao"'s name or alias`},
		{"category department missing", func(o *feedback.Organisation) {
			category(o, "giao-thong").DepartmentID = "dept-gtvt"
		}, `category "giao-thong": department "dept-gtvt" does not exist`},
		{"category department is a ward", func(o *feedback.Organisation) {
			category(o, "giao-thong").DepartmentID = "ward-an-lac"
		}, `category "giao-thong": unit "ward-an-lac" is not a department`},
		{"department category names none", func(o *feedback.Organisation) {
			category(o, "giao-thong").DepartmentID = ""
		}, `category "giao-thong" is owned by a department but names none`},
		{"unknown category owner", func(o *feedback.Organisation) {
			category(o, "khac").Owner = "city"
		}, `category "khac" has owner "city"`},
		{"duplicate category code", func(o *feedback.Organisation) {
			o.Categories = append(o.Categories, *category(o, "khac"))
		}, `category code "khac" is used twice`},
		{"no deadline", func(o *feedback.Organisation) {
			category(o, "khac").DeadlineDays = 0
		}, `category "khac" has deadline of 0 working days`},
		{"roster names another unit's official", func(o *feedback.Organisation) {
			unit(o, "ward-an-lac").Roster.Shifts[1] = []string{"btd.yen"}
		}, `unit "ward-an-lac": roster shifts[1]: btd.yen is not an official of unit ward-an-lac`},
		{"roster without shifts", func(o *feedback.Organisation) {
			unit(o, "ward-tan-tao").Roster.Shifts = nil
		}, `unit "ward-tan-tao": roster shifts: a roster has 1 to`},
		{"roster without a start", func(o *feedback.Organisation) {
			unit(o, "ward-tan-tao").Roster.Start = "5/1/2026"
		}, `unit "ward-tan-tao": roster start: start must be a date`},
		{"leave ending before it starts", func(o *feedback.Organisation) {
			official(o, "anlac.lan").Leave = []feedback.Leave{{From: "2026-12-05", To: "2026-12-01"}}
		}, `official "anlac.lan": leave[0]: a leave must end on or after its first day`},
		{"duplicate username", func(o *feedback.Organisation) {
			official(o, "anlac.minh").Username = "anlac.lan"
		}, `username "anlac.lan" is used twice`},
		{"username with capitals", func(o *feedback.Organisation) {
			official(o, "anlac.minh").Username = "AnLac.Minh"
		}, `username "AnLac.Minh" must be lower-case`},
		{"official of an unknown unit", func(o *feedback.Organisation) {
			official(o, "anlac.minh").UnitID = "ward-an-lac-c"
		}, `official "anlac.minh": unit "ward-an-lac-c" does not exist`},
		{"unknown role", func(o *feedback.Organisation) {
			official(o, "anlac.minh").Role = "chairman"
		}, `official "anlac.minh" has role "chairman"`},
		{"phone not in +84 form", func(o *feedback.Organisation) {
			official(o, "anlac.minh").Phone = "0283875 1003"
		}, `official "anlac.minh": phone "0283875 1003" is not in +84 form`},
		{"no one on duty", func(o *feedback.Organisation) {
			for i := range o.Officials {
				if o.Officials[i].UnitID == "ward-tan-tao" {
					o.Officials[i].OnDuty = false
				}
			}
		}, `unit "ward-tan-tao" has no active on-duty official`},
		{"on duty but inactive", func(o *feedback.Organisation) {
			for i := range o.Officials {
				if o.Officials[i].UnitID == "ward-tan-tao" {
					o.Officials[i].Active = false
				}
			}
		}, `unit "ward-tan-tao" has no active on-duty official`},
		{"two heads", func(o *feedback.Organisation) {
			official(o, "tantao.linh").Role = feedback.RoleHead
		}, `unit "ward-tan-tao" has 2 active heads`},
		{"no coordinator", func(o *feedback.Organisation) {
			official(o, "coordinator").Active = false
		}, "no active coordinator"},
		{"no supervisor account", func(o *feedback.Organisation) {
			official(o, "supervisor").Username = "vp.quan"
		}, `no official with username "supervisor"`},
		{"supervisor account with another role", func(o *feedback.Organisation) {
			official(o, "supervisor").Role = feedback.RoleOfficial
		}, `official "supervisor" must be an active supervisor`},
		{"holiday date not a date", func(o *feedback.Organisation) {
			o.Holidays[0].Date = "2026-02-30"
		}, `holiday "Tết Dương lịch": date is not YYYY-MM-DD`},
		{"holiday in another format", func(o *feedback.Organisation) {
			o.Holidays[0].Date = "1/1/2026"
		}, `holiday "Tết Dương lịch": date is not YYYY-MM-DD`},
		{"holiday twice", func(o *feedback.Organisation) {
			o.Holidays = append(o.Holidays, o.Holidays[0])
		}, "holiday 2026-01-01 is listed twice"},
		{"make-up working day on a weekday", func(o *feedback.Organisation) {
			o.Holidays = append(o.Holidays, feedback.Holiday{Date: "2026-01-09", Name: "Làm bù", Working: true})
		}, "holiday 2026-01-09 is a working day but falls on a Friday"},
		{"a holiday turned working on its weekday", func(o *feedback.Organisation) {
			o.Holidays[0].Working = true // Thursday 1/1/2026
		}, "holiday 2026-01-01 is a working day but falls on a Thursday"},
		{"day off on a Saturday", func(o *feedback.Organisation) {
			o.Holidays = append(o.Holidays, feedback.Holiday{Date: "2026-04-25", Name: "Nghỉ"})
		}, "holiday 2026-04-25 falls on a Saturday, already closed"},
		{"make-up Saturday turned closed", func(o *feedback.Organisation) {
			i := slices.IndexFunc(o.Holidays, func(h feedback.Holiday) bool { return h.Date == "2026-01-10" })
			o.Holidays[i].Working = false
		}, "holiday 2026-01-10 falls on a Saturday, already closed"},
		{"empty organisation", func(o *feedback.Organisation) {
			*o = feedback.Organisation{}
		}, "no wards"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			org := mustDefault(t) // a fresh decode: cases never share slices
			tc.mutate(&org)
			err := seed.Validate(org)
			if !errors.Is(err, seed.ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v\nwant a message containing %s", err, tc.want)
			}
		})
	}
}

// seedFS returns the embedded files as a MapFS, after edit has changed the
// decoded district.json.
func seedFS(t *testing.T, edit func(district map[string]any)) fstest.MapFS {
	t.Helper()
	d, err := os.ReadFile(seed.DistrictFile)
	if err != nil {
		t.Fatal(err)
	}
	c, err := os.ReadFile(seed.CategoriesFile)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		var m map[string]any
		if err := json.Unmarshal(d, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		if d, err = json.Marshal(m); err != nil {
			t.Fatal(err)
		}
	}
	return fstest.MapFS{
		seed.DistrictFile:   {Data: d},
		seed.CategoriesFile: {Data: c},
	}
}

func first(m map[string]any, key string) map[string]any {
	return m[key].([]any)[0].(map[string]any)
}

func TestLoadAcceptsNotes(t *testing.T) {
	fsys := seedFS(t, func(m map[string]any) { m["officials_note"] = "demo staff, not real people" })
	if _, err := seed.Load(fsys); err != nil {
		t.Fatalf("Load with a *_note field: %v", err)
	}
}

func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name string
		fsys func(t *testing.T) fstest.MapFS
		want string
	}{
		{"unknown top-level field", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) { m["city"] = "Hồ Chí Minh" })
		}, `unknown field "city"`},
		{"note that is not text", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) { m["boundary_note"] = 1 })
		}, `"boundary_note"`},
		{"unknown unit field", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) { first(m, "units")["chairman"] = "x" })
		}, `unknown field "chairman"`},
		{"unknown landmark field", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) {
				first(first(first(m, "wards"), "neighbourhoods"), "landmarks")["point"] = []any{106.62, 10.74}
			})
		}, `unknown field "point"`},
		{"unknown neighbourhood field", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) {
				first(first(m, "wards"), "neighbourhoods")["population"] = 12000
			})
		}, `unknown field "population"`},
		{"unknown official field", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) { first(m, "officials")["password"] = "x" })
		}, `unknown field "password"`},
		{"note below the top level", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) { first(m, "holidays")["date_note"] = "x" })
		}, `unknown field "date_note"`},
		{"wrong type", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) { first(m, "officials")["active"] = "yes" })
		}, `"officials"`},
		{"boundary point with three numbers", func(t *testing.T) fstest.MapFS {
			return seedFS(t, func(m map[string]any) {
				first(m, "wards")["boundary"].([]any)[1] = []any{106.6, 10.7, 0}
			})
		}, `boundary point 1 has 3 numbers`},
		{"unknown category field", func(t *testing.T) fstest.MapFS {
			fsys := seedFS(t, nil)
			fsys[seed.CategoriesFile] = &fstest.MapFile{Data: []byte(`[{"code": "khac", "sla": 3}]`)}
			return fsys
		}, `unknown field "sla"`},
		{"context keywords not a list", func(t *testing.T) fstest.MapFS {
			fsys := seedFS(t, nil)
			fsys[seed.CategoriesFile] = &fstest.MapFile{Data: []byte(`[{"code": "khac", "context_keywords": "via he"}]`)}
			return fsys
		}, `context_keywords`},
		{"trailing data", func(t *testing.T) fstest.MapFS {
			fsys := seedFS(t, nil)
			fsys[seed.CategoriesFile] = &fstest.MapFile{Data: append(fsys[seed.CategoriesFile].Data, "[]"...)}
			return fsys
		}, "after the JSON value"},
		{"missing file", func(t *testing.T) fstest.MapFS {
			fsys := seedFS(t, nil)
			delete(fsys, seed.CategoriesFile)
			return fsys
		}, seed.CategoriesFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := seed.Load(tc.fsys(t))
			if !errors.Is(err, seed.ErrDecode) {
				t.Fatalf("Load = %v, want ErrDecode", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load = %v\nwant a message containing %s", err, tc.want)
			}
		})
	}
}

// Load validates too: a well-formed file that breaks a rule is refused.
func TestLoadValidates(t *testing.T) {
	fsys := seedFS(t, func(m map[string]any) { first(m, "officials")["unit"] = "ward-nowhere" })
	if _, err := seed.Load(fsys); !errors.Is(err, seed.ErrInvalid) {
		t.Fatalf("Load = %v, want ErrInvalid", err)
	}
}
