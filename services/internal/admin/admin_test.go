package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"pakn.local/services/internal/admin"
	"pakn.local/services/internal/auth"
	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/mongostore"
	"pakn.local/services/internal/seed"
)

func TestWhoMayDoWhat(t *testing.T) {
	e := newEnv(t, nil)
	duty := map[string]any{"on_duty": true}
	unit := map[string]any{"name": "Văn phòng", "kind": "department", "on_time_target": 0.9}
	roster := map[string]any{"start": "2026-12-01", "shifts": [][]string{{"anlac.lan"}, {"anlac.thu", "anlac.minh"}}}
	cases := []struct {
		name, method, path, user string
		body                     any
		want                     int
	}{
		{"no token", http.MethodGet, "/admin/v1/organisation", "", nil, http.StatusUnauthorized},
		{"no token, duty", http.MethodPatch, "/admin/v1/officials/anlac.minh/duty", "", duty, http.StatusUnauthorized},
		{"no token, dead letters", http.MethodGet, "/admin/v1/dead-letters", "", nil, http.StatusUnauthorized},

		{"supervisor reads", http.MethodGet, "/admin/v1/organisation", "supervisor", nil, http.StatusOK},
		{"supervisor adds a holiday", http.MethodPut, "/admin/v1/holidays/2026-12-24", "supervisor",
			map[string]any{"name": "Ngày Văn hóa Việt Nam"}, http.StatusCreated},
		{"supervisor, anyone's duty", http.MethodPatch, "/admin/v1/officials/tnmt.kiet/duty", "supervisor", duty, http.StatusOK},
		{"supervisor reads the trail", http.MethodGet, "/admin/v1/changes", "supervisor", nil, http.StatusOK},
		{"supervisor reads dead letters", http.MethodGet, "/admin/v1/dead-letters", "supervisor", nil, http.StatusOK},

		{"head, own unit's duty", http.MethodPatch, "/admin/v1/officials/anlac.minh/duty", "anlac.head", duty, http.StatusOK},
		{"head, own duty", http.MethodPatch, "/admin/v1/officials/anlac.head/duty", "anlac.head", duty, http.StatusOK},
		{"head, another unit's duty", http.MethodPatch, "/admin/v1/officials/btd.nam/duty", "anlac.head", duty, http.StatusForbidden},
		{"head reads the organisation", http.MethodGet, "/admin/v1/organisation", "anlac.head", nil, http.StatusOK},
		{"head edits an official", http.MethodPut, "/admin/v1/officials/anlac.minh", "anlac.head", officialBody(nil), http.StatusForbidden},
		{"head edits own unit", http.MethodPut, "/admin/v1/units/ward-an-lac", "anlac.head", unit, http.StatusForbidden},

		{"coordinator, any unit's duty", http.MethodPatch, "/admin/v1/officials/btd.nam/duty", "coordinator", duty, http.StatusOK},
		{"coordinator edits a unit", http.MethodPut, "/admin/v1/units/dept-vp", "coordinator", unit, http.StatusForbidden},
		{"coordinator reads dead letters", http.MethodGet, "/admin/v1/dead-letters", "coordinator", nil, http.StatusForbidden},
		{"coordinator replays", http.MethodPost, "/admin/v1/dead-letters/1/replay", "coordinator", nil, http.StatusForbidden},

		{"official, a colleague's duty", http.MethodPatch, "/admin/v1/officials/anlac.minh/duty", "anlac.lan", duty, http.StatusForbidden},
		{"official, own duty", http.MethodPatch, "/admin/v1/officials/anlac.lan/duty", "anlac.lan", duty, http.StatusForbidden},
		{"official reads", http.MethodGet, "/admin/v1/organisation", "anlac.lan", nil, http.StatusOK},
		{"official reads the trail", http.MethodGet, "/admin/v1/changes", "anlac.lan", nil, http.StatusForbidden},
		{"official adds a holiday", http.MethodPut, "/admin/v1/holidays/2026-11-25", "anlac.lan",
			map[string]any{"name": "x"}, http.StatusForbidden},
		{"official discards", http.MethodDelete, "/admin/v1/dead-letters/1", "anlac.lan", nil, http.StatusForbidden},

		{"head, own unit's roster", http.MethodPut, "/admin/v1/units/ward-an-lac/roster", "anlac.head", roster, http.StatusOK},
		{"head, another unit's roster", http.MethodPut, "/admin/v1/units/ward-binh-tri-dong/roster", "anlac.head",
			map[string]any{"start": "2026-12-01", "shifts": [][]string{{"btd.yen"}}}, http.StatusForbidden},
		{"coordinator, any unit's roster", http.MethodPut, "/admin/v1/units/ward-an-lac/roster", "coordinator", roster, http.StatusOK},
		{"official, own unit's roster", http.MethodPut, "/admin/v1/units/ward-an-lac/roster", "anlac.lan", roster, http.StatusForbidden},
		{"official ends the roster", http.MethodDelete, "/admin/v1/units/ward-an-lac/roster", "anlac.lan", nil, http.StatusForbidden},
		{"roster of no unit", http.MethodPut, "/admin/v1/units/ward-nowhere/roster", "supervisor", roster, http.StatusNotFound},
		{"inactive account", http.MethodGet, "/admin/v1/organisation", "bhha.son", nil, http.StatusForbidden},
		{"duty of nobody", http.MethodPatch, "/admin/v1/officials/nobody/duty", "supervisor", duty, http.StatusNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := e.do(c.method, c.path, c.user, c.body)
			if w.Code != c.want {
				t.Fatalf("%s %s as %q: %d %s, want %d", c.method, c.path, c.user, w.Code, w.Body, c.want)
			}
			if w.Code >= 400 {
				if b := decode[apiError](t, w); b.Error.Message == "" || b.Error.MessageEN == "" {
					t.Fatalf("error without both messages: %s", w.Body)
				}
			}
		})
	}
	tok := e.token("supervisor")
	if w := e.doToken(http.MethodGet, "/admin/v1/organisation", tok[:len(tok)-2]+"xx", nil); w.Code != http.StatusUnauthorized {
		t.Fatalf("forged token: %d", w.Code)
	}
	// Refusals are not changes: only the seven allowed changes are recorded.
	if got := len(e.changes()); got != 7 {
		t.Fatalf("%d changes recorded, want 7", got)
	}
}

func TestOrganisationView(t *testing.T) {
	e := newEnv(t, nil)
	w := e.do(http.MethodGet, "/admin/v1/organisation", "supervisor", nil)
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	body := w.Body.String()
	if strings.Contains(body, "password") || strings.Contains(body, "seed-hash") || strings.Contains(body, "boundary") {
		t.Fatal("the organisation shows a password hash or, by default, boundaries")
	}
	type view struct {
		Units []struct {
			ID string `json:"id"`
		} `json:"units"`
		Wards []struct {
			Code     string       `json:"code"`
			Boundary [][2]float64 `json:"boundary"`
		} `json:"wards"`
		Categories []map[string]any `json:"categories"`
		Officials  []struct {
			Username  string `json:"username"`
			OnDuty    bool   `json:"on_duty"`
			OpenCount int    `json:"open_count"`
		} `json:"officials"`
		Holidays     []map[string]any `json:"holidays"`
		RoutingRules []map[string]any `json:"routing_rules"`
	}
	v := decode[view](t, w)
	org, _ := seed.Default()
	if len(v.Units) != len(org.Units) || len(v.Wards) != 10 || len(v.Categories) != len(org.Categories) ||
		len(v.Officials) != len(org.Officials) || len(v.Holidays) != len(org.Holidays) || v.RoutingRules == nil {
		t.Fatalf("short view: %d units %d wards %d categories %d officials %d holidays %v rules",
			len(v.Units), len(v.Wards), len(v.Categories), len(v.Officials), len(v.Holidays), v.RoutingRules)
	}
	w = e.do(http.MethodGet, "/admin/v1/organisation?boundaries=1", "supervisor", nil)
	v = decode[view](t, w)
	for _, wd := range v.Wards {
		if len(wd.Boundary) < 4 {
			t.Fatalf("ward %s without its boundary", wd.Code)
		}
	}
	if w := e.do(http.MethodGet, "/admin/v1/organisation?boundaries=maybe", "supervisor", nil); w.Code != http.StatusBadRequest {
		t.Fatalf("boundaries=maybe: %d", w.Code)
	}
}

func TestRefusalsChangeNothing(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	if err := e.store.TrackOpen(ctx, "anlac.lan", "AAAA-0001", time.Now()); err != nil {
		t.Fatal(err)
	}
	before, err := e.store.Organisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	off := map[string]any{"on_duty": false}
	unit := func(over map[string]any) map[string]any {
		b := map[string]any{"name": "Phòng Y tế", "kind": "department", "on_time_target": 0.9}
		for k, v := range over {
			b[k] = v
		}
		return b
	}
	cases := []struct {
		name, method, path string
		body               any
		want               int
		field              string
	}{
		{"unknown unit", http.MethodPut, "/admin/v1/officials/anlac.moi", officialBody(map[string]any{"unit_id": "ward-nowhere"}), 400, "unit_id"},
		{"new official without password", http.MethodPut, "/admin/v1/officials/anlac.moi", officialBody(map[string]any{"password": nil}), 400, "password"},
		{"short password", http.MethodPut, "/admin/v1/officials/anlac.moi", officialBody(map[string]any{"password": "ngan"}), 400, "password"},
		{"unknown role", http.MethodPut, "/admin/v1/officials/anlac.moi", officialBody(map[string]any{"role": "mayor"}), 400, "role"},
		{"active left out", http.MethodPut, "/admin/v1/officials/anlac.moi", officialBody(map[string]any{"active": nil}), 400, "active"},
		{"phone not +84", http.MethodPut, "/admin/v1/officials/anlac.moi", officialBody(map[string]any{"phone": "0909123456"}), 400, "phone"},
		{"unknown field", http.MethodPut, "/admin/v1/officials/anlac.moi", officialBody(map[string]any{"salary": 1}), 400, "salary"},
		{"password hash sent", http.MethodPut, "/admin/v1/officials/anlac.moi", officialBody(map[string]any{"password_hash": "x"}), 400, "password_hash"},
		{"malformed JSON", http.MethodPut, "/admin/v1/officials/anlac.moi", `{"name":`, 400, ""},
		{"two JSON values", http.MethodPut, "/admin/v1/holidays/2026-12-24", `{"name":"a"}{}`, 400, ""},
		{"bad username", http.MethodPut, "/admin/v1/officials/Anlac..Moi", officialBody(nil), 400, "username"},
		{"supervisor demoted", http.MethodPut, "/admin/v1/officials/supervisor",
			officialBody(map[string]any{"name": "Nguyễn Minh Quân", "unit_id": "dept-vp", "role": "official", "password": nil}), 409, ""},
		{"last coordinator deactivated", http.MethodPut, "/admin/v1/officials/coordinator",
			officialBody(map[string]any{"name": "Lê Thị Thanh Tâm", "unit_id": "dept-vp", "role": "coordinator", "active": false, "password": nil}), 409, ""},
		{"second head", http.MethodPut, "/admin/v1/officials/anlac.minh",
			officialBody(map[string]any{"role": "head", "on_duty": false, "password": nil}), 409, ""},
		{"official with open items moved", http.MethodPut, "/admin/v1/officials/anlac.lan",
			officialBody(map[string]any{"unit_id": "ward-an-lac-a", "password": nil}), 409, ""},

		{"last on-duty official off duty", http.MethodPatch, "/admin/v1/officials/tantao.linh/duty", off, 409, ""},
		{"duty left out", http.MethodPatch, "/admin/v1/officials/anlac.lan/duty", map[string]any{"reason": "x"}, 400, "on_duty"},
		{"force neither 1 nor 0", http.MethodPatch, "/admin/v1/officials/anlac.lan/duty?force=maybe", off, 400, "force"},

		{"deadline 0 days", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"deadline_days": 0}), 400, "deadline_days"},
		{"deadline 61 days", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"deadline_days": 61}), 400, "deadline_days"},
		{"deadline as text", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"deadline_days": "ten"}), 400, "deadline_days"},
		{"category unknown field", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"sla": 3}), 400, "sla"},
		{"unknown department", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"department": "dept-nope"}), 400, "department"},
		{"a ward as department", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"department": "ward-an-lac"}), 400, "department"},
		{"owner neither", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"owner": "city"}), 400, "owner"},
		{"empty keyword", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"keywords": []string{"ok", " "}}), 400, "keywords"},
		{"empty context keyword", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"context_keywords": []string{""}}), 400, "context_keywords"},
		{"context keywords not a list", http.MethodPut, "/admin/v1/categories/y-te", categoryBody(map[string]any{"context_keywords": "via he"}), 400, "context_keywords"},
		{"bad category code", http.MethodPut, "/admin/v1/categories/Y_TE", categoryBody(nil), 400, "code"},

		{"new unit without staff", http.MethodPut, "/admin/v1/units/dept-yt", unit(nil), 409, ""},
		{"ward unit of no ward", http.MethodPut, "/admin/v1/units/ward-moi", unit(map[string]any{"kind": "ward", "ward": "phuong-moi"}), 400, "ward"},
		{"department with a ward", http.MethodPut, "/admin/v1/units/dept-yt", unit(map[string]any{"ward": "an-lac"}), 400, "ward"},
		{"target over 1", http.MethodPut, "/admin/v1/units/dept-yt", unit(map[string]any{"on_time_target": 1.5}), 400, "on_time_target"},
		{"ward unit moved to another ward", http.MethodPut, "/admin/v1/units/ward-an-lac",
			unit(map[string]any{"name": "UBND phường An Lạc", "kind": "ward", "ward": "tan-tao"}), 409, ""},

		{"rule to no unit", http.MethodPut, "/admin/v1/routing-rules/giao-thong/tan-tao", map[string]any{"unit_id": "dept-nope"}, 400, "unit_id"},
		{"rule for no category", http.MethodPut, "/admin/v1/routing-rules/bay-bong/tan-tao", map[string]any{"unit_id": "ward-tan-tao"}, 400, "category"},
		{"rule for no ward", http.MethodPut, "/admin/v1/routing-rules/giao-thong/phuong-moi", map[string]any{"unit_id": "ward-tan-tao"}, 400, "ward"},
		{"delete no rule", http.MethodDelete, "/admin/v1/routing-rules/giao-thong/tan-tao", nil, 404, ""},

		{"holiday on no date", http.MethodPut, "/admin/v1/holidays/2026-13-01", map[string]any{"name": "x"}, 400, "date"},
		{"holiday without a name", http.MethodPut, "/admin/v1/holidays/2026-12-24", map[string]any{"name": " "}, 400, "name"},
		{"delete no holiday", http.MethodDelete, "/admin/v1/holidays/2026-12-24", nil, 404, ""},
		{"make-up working day on a Friday", http.MethodPut, "/admin/v1/holidays/2026-01-09",
			map[string]any{"name": "Làm bù", "working": true}, 400, "working"},
		{"seeded holiday turned working on its weekday", http.MethodPut, "/admin/v1/holidays/2026-01-02",
			map[string]any{"name": "Tết Dương lịch", "working": true}, 400, "working"},
		{"day off on a Saturday", http.MethodPut, "/admin/v1/holidays/2026-04-25", map[string]any{"name": "Nghỉ"}, 400, "working"},
		{"make-up Saturday turned closed", http.MethodPut, "/admin/v1/holidays/2026-01-10",
			map[string]any{"name": "Làm bù", "working": false}, 400, "working"},
		{"working as text", http.MethodPut, "/admin/v1/holidays/2026-11-21", map[string]any{"name": "Làm bù", "working": "yes"}, 400, "working"},
		{"working as a number", http.MethodPut, "/admin/v1/holidays/2026-11-21", `{"name":"Làm bù","working":1}`, 400, "working"},
		{"working spelt otherwise", http.MethodPut, "/admin/v1/holidays/2026-11-21", map[string]any{"name": "Làm bù", "make_up": true}, 400, "make_up"},
		{"reason too long", http.MethodDelete, "/admin/v1/holidays/2026-01-01?reason=" + strings.Repeat("x", 501), nil, 400, "reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := e.do(c.method, c.path, "supervisor", c.body)
			if w.Code != c.want {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, c.want)
			}
			b := decode[apiError](t, w)
			if b.Error.Field != c.field || b.Error.Message == "" || b.Error.MessageEN == "" {
				t.Fatalf("error %+v, want field %q and both messages", b.Error, c.field)
			}
		})
	}
	// Not JSON at all.
	req := e.doTokenHeader(http.MethodPut, "/admin/v1/holidays/2026-12-24", "supervisor", "name=x", "application/x-www-form-urlencoded")
	if req.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("form body: %d", req.Code)
	}

	after, err := e.store.Organisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Fatal("a refused change changed the organisation")
	}
	if got := e.changes(); len(got) != 0 {
		t.Fatalf("refusals recorded as changes: %+v", got)
	}
}

func TestLastOnDutyMessageAndForce(t *testing.T) {
	e := newEnv(t, nil)
	w := e.do(http.MethodPatch, "/admin/v1/officials/tantao.linh/duty", "supervisor", map[string]any{"on_duty": false})
	b := decode[apiError](t, w)
	if w.Code != http.StatusConflict || !strings.Contains(b.Error.Message, "ward-tan-tao") ||
		!strings.Contains(b.Error.Message, "force=1") || !strings.Contains(b.Error.MessageEN, "no active official on duty") {
		t.Fatalf("%d %+v", w.Code, b.Error)
	}
	w = e.do(http.MethodPatch, "/admin/v1/officials/tantao.linh/duty?force=1&reason=Ngh%E1%BB%89%20l%E1%BB%85", "tantao.head",
		map[string]any{"on_duty": false})
	if w.Code != http.StatusOK {
		t.Fatalf("forced: %d %s", w.Code, w.Body)
	}
	if e.official("tantao.linh").OnDuty {
		t.Fatal("still on duty")
	}
	// Back on duty needs no force; the gap that was there is no new problem
	// for an unrelated change either.
	if w := e.do(http.MethodPatch, "/admin/v1/officials/tnmt.kiet/duty", "coordinator", map[string]any{"on_duty": true}); w.Code != http.StatusOK {
		t.Fatalf("unrelated change while a gap is open: %d %s", w.Code, w.Body)
	}
	if w := e.do(http.MethodPatch, "/admin/v1/officials/tantao.linh/duty", "tantao.head", map[string]any{"on_duty": true}); w.Code != http.StatusOK {
		t.Fatalf("back on duty: %d %s", w.Code, w.Body)
	}
}

func TestNewUnitStaffedStepByStep(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	steps := []struct {
		method, path string
		body         any
		want         int
	}{
		{http.MethodPut, "/admin/v1/units/dept-yt?force=1",
			map[string]any{"name": "Phòng Y tế", "name_en": "Health Office", "kind": "department", "on_time_target": 0.9}, 201},
		{http.MethodPut, "/admin/v1/officials/yt.head",
			officialBody(map[string]any{"name": "Trần Văn Y", "unit_id": "dept-yt", "role": "head"}), 201},
		{http.MethodPut, "/admin/v1/officials/yt.an",
			officialBody(map[string]any{"name": "Lê Thị An", "unit_id": "dept-yt"}), 201},
		{http.MethodPut, "/admin/v1/categories/y-te",
			categoryBody(map[string]any{"department": "dept-yt"}), 201},
		{http.MethodPut, "/admin/v1/categories/y-te",
			categoryBody(map[string]any{"department": "dept-yt", "deadline_days": 5, "context_keywords": []string{" bệnh viện "}}), 200},
		{http.MethodPut, "/admin/v1/units/dept-yt",
			map[string]any{"name": "Phòng Y tế quận", "kind": "department", "on_time_target": 0.95}, 200},
	}
	for i, s := range steps {
		if w := e.do(s.method, s.path, "supervisor", s.body); w.Code != s.want {
			t.Fatalf("step %d %s: %d %s, want %d", i, s.path, w.Code, w.Body, s.want)
		}
	}
	org, err := e.store.Organisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Validate(org); err != nil {
		t.Fatalf("the district after the steps: %v", err)
	}
	if i := slices.IndexFunc(org.Categories, func(c feedback.Category) bool { return c.Code == "y-te" }); i < 0 ||
		org.Categories[i].DeadlineDays != 5 || !slices.Equal(org.Categories[i].ContextKeywords, []string{"bệnh viện"}) {
		t.Errorf("category y-te stored as %+v", org.Categories[max(i, 0)])
	}
	yt, _, err := e.store.Official(ctx, "yt.an")
	if err != nil || yt.UnitID != "dept-yt" || !yt.OnDuty || yt.Phone != "+84909123456" {
		t.Fatalf("yt.an: %+v %v", yt, err)
	}
}

func TestAuditTrail(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	w := e.do(http.MethodPut, "/admin/v1/officials/anlac.moi", "supervisor",
		officialBody(map[string]any{"reason": "Tuyển dụng đợt 2"}))
	if w.Code != http.StatusCreated {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	created := decode[change](t, w)
	if strings.Contains(w.Body.String(), "mat-khau") || strings.Contains(w.Body.String(), "$2a$") {
		t.Fatal("the change shows the password or its hash")
	}
	_, hash, err := e.store.Official(ctx, "anlac.moi")
	if err != nil || !auth.CheckPassword(hash, "mat-khau-dai-du") {
		t.Fatalf("the new official cannot sign in: %v", err)
	}
	if w := e.do(http.MethodPatch, "/admin/v1/officials/anlac.moi/duty?reason=Ngh%E1%BB%89%20ph%C3%A9p", "anlac.head",
		map[string]any{"on_duty": false}); w.Code != http.StatusOK {
		t.Fatalf("duty: %d %s", w.Code, w.Body)
	}
	if w := e.do(http.MethodPut, "/admin/v1/categories/giao-thong", "supervisor", map[string]any{
		"name": "Giao thông", "name_en": "Roads and traffic", "owner": "department", "department": "dept-qldt",
		"deadline_days": 15, "keywords": []string{"o ga"}, "reason": "nhiều cơ quan phối hợp",
	}); w.Code != http.StatusOK {
		t.Fatalf("category: %d %s", w.Code, w.Body)
	}
	if w := e.do(http.MethodDelete, "/admin/v1/holidays/2026-01-02", "supervisor", nil); w.Code != http.StatusOK {
		t.Fatalf("holiday: %d %s", w.Code, w.Body)
	}

	got := e.changes()
	if len(got) != 4 {
		t.Fatalf("%d changes", len(got))
	}
	want := []struct{ actor, kind, action, target, reason string }{
		{"supervisor", "holiday", "delete", "2026-01-02", ""},
		{"supervisor", "category", "put", "giao-thong", "nhiều cơ quan phối hợp"},
		{"anlac.head", "official", "duty", "anlac.moi", "Nghỉ phép"},
		{"supervisor", "official", "put", "anlac.moi", "Tuyển dụng đợt 2"},
	}
	for i, c := range got {
		w := want[i]
		if c.Actor != w.actor || c.Kind != w.kind || c.Action != w.action || c.Target != w.target || c.Reason != w.reason ||
			c.Status != mongostore.ChangeApplied || c.At.IsZero() {
			t.Errorf("change %d: %+v, want %+v applied", i, c, w)
		}
	}
	if got[3].ID != created.ID {
		t.Errorf("the trail's oldest is %s, the PUT answered %s", got[3].ID, created.ID)
	}
	field := func(raw json.RawMessage, name string) any {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		return m[name]
	}
	if string(got[3].Before) != "null" || field(got[3].After, "password_set") != true || field(got[3].After, "name") != "Nguyễn Thị Mới" {
		t.Errorf("new official: before %s after %s", got[3].Before, got[3].After)
	}
	if field(got[2].Before, "on_duty") != true || field(got[2].After, "on_duty") != false {
		t.Errorf("duty: before %s after %s", got[2].Before, got[2].After)
	}
	if field(got[1].Before, "deadline_days") != 10.0 || field(got[1].After, "deadline_days") != 15.0 {
		t.Errorf("category: before %s after %s", got[1].Before, got[1].After)
	}
	if field(got[0].Before, "name") == nil || string(got[0].After) != "null" {
		t.Errorf("holiday: before %s after %s", got[0].Before, got[0].After)
	}
	if w := e.do(http.MethodGet, "/admin/v1/changes?limit=2", "supervisor", nil); len(decode[struct {
		Changes []change `json:"changes"`
	}](t, w).Changes) != 2 {
		t.Errorf("limit=2: %s", w.Body)
	}
	if w := e.do(http.MethodGet, "/admin/v1/changes?limit=0", "supervisor", nil); w.Code != http.StatusBadRequest {
		t.Errorf("limit=0: %d", w.Code)
	}
}

// failingHolidays is the database with holidays that cannot be written.
type failingHolidays struct{ *mongostore.Store }

func (failingHolidays) PutHoliday(context.Context, feedback.Holiday) error {
	return feedback.Unavailable(context.DeadlineExceeded)
}

func TestFailedChangeIsRecordedFailed(t *testing.T) {
	e := newEnv(t, func(s *mongostore.Store) admin.Store { return failingHolidays{s} })
	sub := e.subscribe()
	w := e.do(http.MethodPut, "/admin/v1/holidays/2026-12-24", "supervisor", map[string]any{"name": "Giáng sinh"})
	if w.Code != http.StatusServiceUnavailable {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	got := e.changes()
	if len(got) != 1 || got[0].Status != mongostore.ChangeFailed || got[0].Kind != "holiday" || got[0].Target != "2026-12-24" {
		t.Fatalf("trail %+v", got)
	}
	if _, err := sub.NextMsg(300 * time.Millisecond); err == nil {
		t.Fatal("a failed change was announced")
	}
}

func (e *env) subscribe() *nats.Subscription {
	e.t.Helper()
	sub, err := e.nc.SubscribeSync(admin.OrgChangedSubject)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.nc.Flush(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = sub.Unsubscribe() })
	return sub
}

func TestAppliedChangesAreAnnounced(t *testing.T) {
	e := newEnv(t, nil)
	sub := e.subscribe()
	if w := e.do(http.MethodPatch, "/admin/v1/officials/anlac.minh/duty", "anlac.head", map[string]any{"on_duty": true}); w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if _, err := sub.NextMsg(5 * time.Second); err != nil {
		t.Fatalf("no announcement: %v", err)
	}
	if w := e.do(http.MethodPut, "/admin/v1/routing-rules/ngap-nuoc/tan-tao", "supervisor", map[string]any{"unit_id": "ward-tan-tao"}); w.Code != http.StatusCreated {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if _, err := sub.NextMsg(5 * time.Second); err != nil {
		t.Fatalf("no announcement: %v", err)
	}
	// A refusal is announced to nobody.
	if w := e.do(http.MethodPatch, "/admin/v1/officials/tantao.linh/duty", "supervisor", map[string]any{"on_duty": false}); w.Code != http.StatusConflict {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if _, err := sub.NextMsg(300 * time.Millisecond); err == nil {
		t.Fatal("a refused change was announced")
	}
}

func TestRoutingRules(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	path := "/admin/v1/routing-rules/ngap-nuoc/tan-tao"
	if w := e.do(http.MethodPut, path, "supervisor", map[string]any{"unit_id": "ward-tan-tao"}); w.Code != http.StatusCreated {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	w := e.do(http.MethodPut, path, "supervisor", map[string]any{"unit_id": "dept-tnmt", "reason": "kênh Tân Hóa"})
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if c := decode[change](t, w); c.Target != "ngap-nuoc/tan-tao" || !strings.Contains(string(c.Before), "ward-tan-tao") ||
		!strings.Contains(string(c.After), "dept-tnmt") {
		t.Fatalf("change %+v", c)
	}
	org, err := e.store.Organisation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(org.RoutingRules, []feedback.RoutingRule{{Category: "ngap-nuoc", Ward: "tan-tao", UnitID: "dept-tnmt"}}) {
		t.Fatalf("rules %+v", org.RoutingRules)
	}
	if w := e.do(http.MethodGet, "/admin/v1/organisation", "supervisor", nil); !strings.Contains(w.Body.String(),
		`"routing_rules":[{"category":"ngap-nuoc","ward":"tan-tao","unit_id":"dept-tnmt"}]`) {
		t.Fatalf("organisation view: %s", w.Body)
	}
	if w := e.do(http.MethodDelete, path, "supervisor", nil); w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if w := e.do(http.MethodDelete, path, "supervisor", nil); w.Code != http.StatusNotFound {
		t.Fatalf("second delete: %d", w.Code)
	}
	if org, _ = e.store.Organisation(ctx); len(org.RoutingRules) != 0 {
		t.Fatalf("rules %+v", org.RoutingRules)
	}
}

func TestTwoOffDutyAtOnceLeaveOneOnDuty(t *testing.T) {
	e := newEnv(t, nil)
	// ward-an-lac has two officials on duty; both asked off at once.
	codes := make(chan int, 2)
	tok := e.token("anlac.head")
	for _, u := range []string{"anlac.lan", "anlac.thu"} {
		go func() {
			codes <- e.doToken(http.MethodPatch, "/admin/v1/officials/"+u+"/duty", tok, `{"on_duty":false}`).Code
		}()
	}
	a, b := <-codes, <-codes
	if a+b != http.StatusOK+http.StatusConflict {
		t.Fatalf("answers %d and %d, want one 200 and one 409", a, b)
	}
	if e.official("anlac.lan").OnDuty == e.official("anlac.thu").OnDuty {
		t.Fatal("both or neither went off duty")
	}
}

// TestMakeUpWorkingDay: a make-up Saturday put through the API is shown by
// the organisation, kept in the audit trail, and can be renamed and removed.
func TestMakeUpWorkingDay(t *testing.T) {
	e := newEnv(t, nil)
	holidays := func() map[string]map[string]any {
		w := e.do(http.MethodGet, "/admin/v1/organisation", "supervisor", nil)
		if w.Code != http.StatusOK {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		out := map[string]map[string]any{}
		for _, h := range decode[struct {
			Holidays []map[string]any `json:"holidays"`
		}](t, w).Holidays {
			out[h["date"].(string)] = h
		}
		return out
	}
	// The seed's make-up Saturdays and days off show what they are.
	got := holidays()
	for date, want := range map[string]bool{"2026-01-10": true, "2026-08-22": true, "2026-01-02": false, "2026-08-31": false} {
		if w, ok := got[date]["working"].(bool); !ok || w != want {
			t.Errorf("holiday %s shows working %v, want %v", date, got[date]["working"], want)
		}
	}

	steps := []struct {
		name    string
		body    map[string]any
		want    int
		working any // in the organisation afterwards; nil: not listed
	}{
		// Sunday 2026-11-22, say, made up for a swapped Monday 23/11.
		{"create", map[string]any{"name": "Làm bù Chủ nhật", "working": true, "reason": "Thông báo của UBND Thành phố"}, 201, true},
		{"rename", map[string]any{"name": "Làm bù Chủ nhật cho ngày 23/11", "working": true}, 200, true},
	}
	for _, s := range steps {
		w := e.do(http.MethodPut, "/admin/v1/holidays/2026-11-22", "supervisor", s.body)
		if w.Code != s.want {
			t.Fatalf("%s: %d %s, want %d", s.name, w.Code, w.Body, s.want)
		}
		if h := holidays()["2026-11-22"]; h["working"] != s.working || h["name"] != s.body["name"] {
			t.Fatalf("%s: organisation shows %v", s.name, h)
		}
	}
	if w := e.do(http.MethodDelete, "/admin/v1/holidays/2026-11-22", "supervisor", nil); w.Code != http.StatusOK {
		t.Fatalf("delete: %d %s", w.Code, w.Body)
	}
	if _, ok := holidays()["2026-11-22"]; ok {
		t.Fatal("deleted make-up day still listed")
	}
	org, err := e.store.Organisation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := seed.Validate(org); err != nil {
		t.Fatalf("the organisation no longer validates: %v", err)
	}

	// The trail, newest first: delete, rename, create; each says working.
	trail := e.changes()
	if len(trail) != 3 {
		t.Fatalf("%d changes, want 3", len(trail))
	}
	working := func(raw json.RawMessage) any {
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		if m == nil {
			return nil
		}
		return m["working"]
	}
	for i, want := range []struct {
		action        string
		before, after any
	}{
		{"delete", true, nil},
		{"put", true, true},
		{"put", nil, true},
	} {
		c := trail[i]
		if c.Kind != "holiday" || c.Action != want.action || c.Target != "2026-11-22" ||
			working(c.Before) != want.before || working(c.After) != want.after {
			t.Errorf("change %d: %s %s before %s after %s, want %s working %v → %v",
				i, c.Action, c.Target, c.Before, c.After, want.action, want.before, want.after)
		}
	}
	if trail[2].Reason != "Thông báo của UBND Thành phố" {
		t.Errorf("reason %q", trail[2].Reason)
	}
}

// TestRoster: a head sets the rotation of their unit's desk; it is shown by
// the organisation, kept in the audit trail, survives an edit of the unit,
// and can be ended. A roster naming someone else's official changes nothing.
func TestRoster(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	path := "/admin/v1/units/ward-tan-tao/roster"
	body := map[string]any{"start": "2026-11-02", "shifts": [][]string{{"tantao.hai"}, {"tantao.linh", "tantao.head"}},
		"reason": "Lịch trực tháng 12"}
	w := e.do(http.MethodPut, path, "tantao.head", body)
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	want := &feedback.Roster{Start: "2026-11-02", Shifts: [][]string{{"tantao.hai"}, {"tantao.linh", "tantao.head"}}}
	roster := func() *feedback.Roster {
		org, err := e.store.Organisation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range org.Units {
			if u.ID == "ward-tan-tao" {
				return u.Roster
			}
		}
		t.Fatal("no unit ward-tan-tao")
		return nil
	}
	if got := roster(); !reflect.DeepEqual(got, want) {
		t.Fatalf("stored %+v, want %+v", got, want)
	}
	if w := e.do(http.MethodGet, "/admin/v1/organisation", "tantao.linh", nil); !strings.Contains(w.Body.String(),
		`"roster":{"start":"2026-11-02","shifts":[["tantao.hai"],["tantao.linh","tantao.head"]]}`) {
		t.Fatalf("organisation view: %s", w.Body)
	}
	// The organisation names who takes the unit's items now: one of its
	// shifts; a department without a roster names nobody.
	view := decode[struct {
		Units []struct {
			ID     string   `json:"id"`
			OnDesk []string `json:"on_desk"`
		} `json:"units"`
	}](t, e.do(http.MethodGet, "/admin/v1/organisation", "tantao.head", nil))
	for _, u := range view.Units {
		switch u.ID {
		case "ward-tan-tao":
			if !slices.ContainsFunc(want.Shifts, func(s []string) bool { return slices.Equal(s, u.OnDesk) }) {
				t.Fatalf("on desk at ward-tan-tao: %v, want one of %v", u.OnDesk, want.Shifts)
			}
		case "dept-qldt":
			if u.OnDesk != nil {
				t.Fatalf("on desk at dept-qldt, which has no roster: %v", u.OnDesk)
			}
		}
	}
	last := e.changes()[0]
	if last.Kind != "unit" || last.Action != "roster" || last.Target != "ward-tan-tao" || last.Actor != "tantao.head" ||
		last.Reason != "Lịch trực tháng 12" || !strings.Contains(string(last.After), "tantao.hai") ||
		!strings.Contains(string(last.Before), "tantao.linh") {
		t.Fatalf("trail: %+v", last)
	}

	// A supervisor renaming the unit keeps its roster.
	if w := e.do(http.MethodPut, "/admin/v1/units/ward-tan-tao", "supervisor", map[string]any{
		"name": "UBND phường Tân Tạo (mới)", "kind": "ward", "ward": "tan-tao", "on_time_target": 0.95}); w.Code != http.StatusOK {
		t.Fatalf("unit edit: %d %s", w.Code, w.Body)
	}
	if got := roster(); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a unit edit %+v, want %+v", got, want)
	}

	bad := []struct {
		name  string
		body  any
		field string
	}{
		{"another unit's official", map[string]any{"start": "2026-12-01", "shifts": [][]string{{"btd.yen"}}}, "shifts[0]"},
		{"an operator", map[string]any{"start": "2026-12-01", "shifts": [][]string{{"tantao.linh"}, {"tongdai.hoa"}}}, "shifts[1]"},
		{"no shifts", map[string]any{"start": "2026-12-01", "shifts": [][]string{}}, "shifts"},
		{"an empty shift", map[string]any{"start": "2026-12-01", "shifts": [][]string{{}}}, "shifts[0]"},
		{"a bad date", map[string]any{"start": "1/12/2026", "shifts": [][]string{{"tantao.linh"}}}, "start"},
		{"a bad username", map[string]any{"start": "2026-12-01", "shifts": [][]string{{"Tantao Linh"}}}, "shifts[0]"},
		{"an unknown field", `{"start":"2026-12-01","shifts":[["tantao.linh"]],"days":5}`, ""},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			w := e.do(http.MethodPut, path, "tantao.head", b.body)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("%d %s, want 400", w.Code, w.Body)
			}
			if got := decode[apiError](t, w).Error; b.field != "" && got.Field != b.field || got.Message == "" {
				t.Fatalf("error %+v, want field %q", got, b.field)
			}
			if got := roster(); !reflect.DeepEqual(got, want) {
				t.Fatalf("changed to %+v", got)
			}
		})
	}

	// Moving an official on the roster to another unit would leave it
	// naming someone who is not there: refused until the roster changes.
	w = e.do(http.MethodPut, "/admin/v1/officials/tantao.hai", "supervisor", map[string]any{
		"name": "Hải", "unit_id": "ward-an-lac", "role": "official", "active": true, "on_duty": false})
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "roster") {
		t.Fatalf("moving a rostered official: %d %s, want 409 naming the roster", w.Code, w.Body)
	}

	if w := e.do(http.MethodDelete, path, "tantao.head", nil); w.Code != http.StatusOK {
		t.Fatalf("end: %d %s", w.Code, w.Body)
	}
	if got := roster(); got != nil {
		t.Fatalf("after the end %+v", got)
	}
	if last := e.changes()[0]; last.Action != "roster-delete" || string(last.After) != "null" {
		t.Fatalf("trail: %+v after %s", last, last.After)
	}
	if w := e.do(http.MethodDelete, path, "tantao.head", nil); w.Code != http.StatusNotFound {
		t.Fatalf("second end: %d", w.Code)
	}
}

// TestPlaces: a supervisor adds a landmark to a neighbourhood and renames a
// ward; the ward keeps its neighbourhoods; bad places change nothing.
func TestPlaces(t *testing.T) {
	e := newEnv(t, nil)
	ctx := context.Background()
	ward := func(code string) feedback.Ward {
		org, err := e.store.Organisation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range org.Wards {
			if w.Code == code {
				return w
			}
		}
		t.Fatalf("no ward %s", code)
		return feedback.Ward{}
	}
	before := ward("binh-hung-hoa-a")
	kp := before.Neighbourhoods[0]
	path := "/admin/v1/wards/binh-hung-hoa-a/neighbourhoods/" + kp.Code
	body := map[string]any{"name": kp.Name, "streets": kp.Streets,
		"landmarks": []map[string]any{{"name": "Chợ Bình Long", "aliases": []string{"cho Binh Long"}}}}
	if w := e.do(http.MethodPut, path, "supervisor", body); w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	got := ward("binh-hung-hoa-a")
	if l := got.Neighbourhoods[0].Landmarks; len(l) != 1 || l[0].Name != "Chợ Bình Long" || len(got.Neighbourhoods) != len(before.Neighbourhoods) {
		t.Fatalf("after the edit: %+v", got.Neighbourhoods[0])
	}
	if last := e.changes()[0]; last.Kind != "ward" || last.Action != "neighbourhood" || last.Target != "binh-hung-hoa-a/"+kp.Code ||
		!strings.Contains(string(last.After), "Chợ Bình Long") {
		t.Fatalf("trail: %+v", last)
	}
	// Renaming the ward keeps its neighbourhoods.
	wbody := map[string]any{"name": before.Name, "aliases": append(slices.Clone(before.Aliases), "BHHA"),
		"unit_id": before.UnitID, "boundary": before.Boundary}
	if w := e.do(http.MethodPut, "/admin/v1/wards/binh-hung-hoa-a", "supervisor", wbody); w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if got := ward("binh-hung-hoa-a"); !slices.Contains(got.Aliases, "BHHA") || len(got.Neighbourhoods) != len(before.Neighbourhoods) ||
		len(got.Neighbourhoods[0].Landmarks) != 1 {
		t.Fatalf("after renaming: %+v", got)
	}
	want := ward("binh-hung-hoa-a")

	open := slices.Clone(before.Boundary[:len(before.Boundary)-1])
	bad := []struct {
		name, path, user string
		body             any
		status           int
	}{
		{"a head", path, "bhha.head", body, http.StatusForbidden},
		{"no such ward", "/admin/v1/wards/nowhere/neighbourhoods/kp1", "supervisor", body, http.StatusNotFound},
		{"a landmark without a name", path, "supervisor",
			map[string]any{"name": kp.Name, "streets": kp.Streets, "landmarks": []map[string]any{{"name": " "}}}, http.StatusBadRequest},
		{"a landmark named like a ward", path, "supervisor",
			map[string]any{"name": kp.Name, "streets": kp.Streets, "landmarks": []map[string]any{{"name": "Tân Tạo"}}}, http.StatusConflict},
		{"an empty street", path, "supervisor", map[string]any{"name": kp.Name, "streets": []string{"Mã Lò", ""}}, http.StatusBadRequest},
		{"an unknown field", path, "supervisor", `{"name":"KP1","streets":[],"population":9000}`, http.StatusBadRequest},
		{"a boundary left open", "/admin/v1/wards/binh-hung-hoa-a", "supervisor",
			map[string]any{"name": before.Name, "aliases": before.Aliases, "unit_id": before.UnitID, "boundary": open}, http.StatusBadRequest},
		{"a boundary written lat, lng", "/admin/v1/wards/binh-hung-hoa-a", "supervisor",
			map[string]any{"name": before.Name, "aliases": before.Aliases, "unit_id": before.UnitID,
				"boundary": [][2]float64{{10.8, 106.6}, {10.8, 106.61}, {10.81, 106.61}, {10.8, 106.6}}}, http.StatusBadRequest},
		{"a unit that does not exist", "/admin/v1/wards/binh-hung-hoa-a", "supervisor",
			map[string]any{"name": before.Name, "unit_id": "ward-nowhere", "boundary": before.Boundary}, http.StatusBadRequest},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			w := e.do(http.MethodPut, b.path, b.user, b.body)
			if w.Code != b.status {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, b.status)
			}
			if got := ward("binh-hung-hoa-a"); !reflect.DeepEqual(got, want) {
				t.Fatalf("changed to %+v", got)
			}
		})
	}
}

// TestWardsGeoJSON: the boundaries come out as GeoJSON polygons, one per
// ward, exactly as stored.
func TestWardsGeoJSON(t *testing.T) {
	e := newEnv(t, nil)
	w := e.do(http.MethodGet, "/admin/v1/wards.geojson", "anlac.lan", nil)
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Header().Get("Content-Type"), "application/geo+json") {
		t.Fatalf("%d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	fc := decode[struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string            `json:"type"`
			Properties map[string]string `json:"properties"`
			Geometry   struct {
				Type        string         `json:"type"`
				Coordinates [][][2]float64 `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}](t, w)
	org, err := e.store.Organisation(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != len(org.Wards) {
		t.Fatalf("%s with %d features, want %d", fc.Type, len(fc.Features), len(org.Wards))
	}
	for i, f := range fc.Features {
		wd := org.Wards[i]
		if f.Type != "Feature" || f.Geometry.Type != "Polygon" || f.Properties["code"] != wd.Code ||
			len(f.Geometry.Coordinates) != 1 || !reflect.DeepEqual(f.Geometry.Coordinates[0], wd.Boundary) {
			t.Fatalf("feature %d: %+v, want ward %s", i, f, wd.Code)
		}
	}
	if w := e.do(http.MethodGet, "/admin/v1/wards.geojson", "", nil); w.Code != http.StatusUnauthorized {
		t.Fatalf("without a token: %d", w.Code)
	}
}

// TestLeave: a head records an official's days away ahead; the
// organisation shows them and whether the official is away today; bad
// dates change nothing; another unit's head may not.
func TestLeave(t *testing.T) {
	e := newEnv(t, nil)
	today := time.Now().UTC()
	from, to := today.AddDate(0, 0, -3).Format(time.DateOnly), today.AddDate(0, 0, 10).Format(time.DateOnly)
	path := "/admin/v1/officials/tantao.hai/leave"
	body := map[string]any{"leave": []map[string]any{{"from": from, "to": to, "reason": "Nghỉ phép năm"}}, "reason": "đơn 12/NP"}
	if w := e.do(http.MethodPut, path, "tantao.head", body); w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	if got := e.official("tantao.hai").Leave; !reflect.DeepEqual(got, []feedback.Leave{{From: from, To: to, Reason: "Nghỉ phép năm"}}) {
		t.Fatalf("stored %+v", got)
	}
	view := decode[struct {
		Officials []struct {
			Username string `json:"username"`
			OnLeave  bool   `json:"on_leave"`
			Leave    []struct {
				From, To string
			} `json:"leave"`
		} `json:"officials"`
	}](t, e.do(http.MethodGet, "/admin/v1/organisation", "tantao.linh", nil))
	for _, o := range view.Officials {
		switch o.Username {
		case "tantao.hai":
			if !o.OnLeave || len(o.Leave) != 1 || o.Leave[0].From != from {
				t.Fatalf("tantao.hai in the view: %+v", o)
			}
		case "tantao.linh":
			if o.OnLeave || o.Leave == nil {
				t.Fatalf("tantao.linh in the view: %+v (want not on leave, an empty list)", o)
			}
		}
	}
	if last := e.changes()[0]; last.Kind != "official" || last.Action != "leave" || last.Target != "tantao.hai" ||
		!strings.Contains(string(last.After), "Nghỉ phép năm") || string(last.Before) != "[]" {
		t.Fatalf("trail: %+v (before %s)", last, last.Before)
	}
	want := e.official("tantao.hai").Leave
	bad := []struct {
		name, user string
		body       any
		status     int
	}{
		{"backwards", "tantao.head", map[string]any{"leave": []map[string]any{{"from": "2026-12-05", "to": "2026-12-01"}}}, http.StatusBadRequest},
		{"a bad date", "tantao.head", map[string]any{"leave": []map[string]any{{"from": "5/12/2026", "to": "2026-12-06"}}}, http.StatusBadRequest},
		{"over a year", "tantao.head", map[string]any{"leave": []map[string]any{{"from": "2026-01-01", "to": "2027-06-01"}}}, http.StatusBadRequest},
		{"no list", "tantao.head", map[string]any{"reason": "x"}, http.StatusBadRequest},
		{"an unknown field", "tantao.head", `{"leave":[],"days":3}`, http.StatusBadRequest},
		{"another unit's head", "anlac.head", map[string]any{"leave": []map[string]any{}}, http.StatusForbidden},
		{"an official", "tantao.linh", map[string]any{"leave": []map[string]any{}}, http.StatusForbidden},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			if w := e.do(http.MethodPut, path, b.user, b.body); w.Code != b.status {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, b.status)
			}
			if got := e.official("tantao.hai").Leave; !reflect.DeepEqual(got, want) {
				t.Fatalf("changed to %+v", got)
			}
		})
	}
	if w := e.do(http.MethodPut, path, "coordinator", map[string]any{"leave": []map[string]any{}}); w.Code != http.StatusOK {
		t.Fatalf("clear: %d %s", w.Code, w.Body)
	}
	if got := e.official("tantao.hai").Leave; len(got) != 0 {
		t.Fatalf("after clearing: %+v", got)
	}
}
