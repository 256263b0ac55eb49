package admin_test

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"pakn.local/services/internal/admin"
	"pakn.local/services/internal/feedback"
)

// The decoders take what a supervisor's browser sends; whatever it is, they
// answer EINVALID or a request that keeps every rule.

func FuzzDecodeOfficial(f *testing.F) {
	for _, s := range []string{
		`{"name":"Trần Thị Lan","unit_id":"ward-an-lac","role":"official","active":true,"on_duty":true,"phone":"+842838751002","password":"mat-khau-dai-du"}`,
		`{"name":"Lan","unit_id":"ward-an-lac","role":"head","active":false,"on_duty":false}`,
		`{"name":"","unit_id":"x","role":"official","active":true,"on_duty":true}`,
		`{"name":"a","unit_id":"-x-","role":"mayor"}`,
		`{"name":"a","unit_id":"x","role":"official","active":true,"on_duty":true,"password":"ngắn"}`,
		`{"name":"a","unit_id":"x","role":"official","active":true,"on_duty":true,"phone":"+84 909"}`,
		`{"salary":1}`, `[]`, `null`, `{"name":1}`, "{\"name\":\"\xff\"}", `{"name":"a\u0000b"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		name, unit, role, phone, password, err := admin.DecodedOfficial(body)
		if err != nil {
			if !feedback.IsCode(err, feedback.EINVALID) {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 || strings.ContainsRune(name, 0) {
			t.Fatalf("name %q accepted", name)
		}
		if unit == "" || strings.Trim(unit, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			t.Fatalf("unit %q accepted", unit)
		}
		switch feedback.Role(role) {
		case feedback.RoleOfficial, feedback.RoleHead, feedback.RoleCoordinator, feedback.RoleSupervisor:
		default:
			t.Fatalf("role %q accepted", role)
		}
		if phone != "" && (!strings.HasPrefix(phone, "+84") || len(phone) < 12 || len(phone) > 13) {
			t.Fatalf("phone %q accepted", phone)
		}
		if password != "" && (utf8.RuneCountInString(password) < 10 || len(password) > 72) {
			t.Fatalf("password of %d bytes accepted", len(password))
		}
	})
}

func FuzzDecodeCategory(f *testing.F) {
	for _, s := range []string{
		`{"name":"Giao thông","name_en":"Roads","owner":"department","department":"dept-qldt","deadline_days":10,"keywords":["o ga","ổ gà"]}`,
		`{"name":"Khác","owner":"ward","deadline_days":60,"keywords":[]}`,
		`{"name":"Khác","owner":"ward","deadline_days":61}`,
		`{"name":"Khác","owner":"department","deadline_days":1}`,
		`{"name":"x","owner":"ward","deadline_days":1.5}`,
		`{"name":"x","owner":"ward","deadline_days":5,"keywords":[""]}`,
		`{"name":"x","owner":"city","deadline_days":5}`,
		`{"sla":3}`, `{"keywords":null}`, `1`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		name, owner, dept, days, keywords, err := admin.DecodedCategory(body)
		if err != nil {
			if !feedback.IsCode(err, feedback.EINVALID) {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if name == "" || !utf8.ValidString(name) {
			t.Fatalf("name %q accepted", name)
		}
		if days < 1 || days > 60 {
			t.Fatalf("deadline of %d days accepted", days)
		}
		switch feedback.UnitKind(owner) {
		case feedback.UnitDepartment:
			if dept == "" {
				t.Fatal("a department-owned category without its department accepted")
			}
		case feedback.UnitWard:
		default:
			t.Fatalf("owner %q accepted", owner)
		}
		if keywords == nil {
			t.Fatal("keywords nil")
		}
		for _, k := range keywords {
			if strings.TrimSpace(k) == "" || k != strings.TrimSpace(k) || utf8.RuneCountInString(k) > 100 {
				t.Fatalf("keyword %q accepted", k)
			}
		}
	})
}

func FuzzDecodeHoliday(f *testing.F) {
	for _, s := range []struct{ date, body string }{
		{"2026-01-10", `{"name":"Làm bù thứ Bảy","working":true}`},
		{"2026-11-22", `{"name":"Làm bù Chủ nhật","working":true,"reason":"x"}`},
		{"2026-01-02", `{"name":"Tết Dương lịch"}`},
		{"2026-01-02", `{"name":"Tết Dương lịch","working":false}`},
		{"2026-01-09", `{"name":"Làm bù","working":true}`},
		{"2026-04-25", `{"name":"Nghỉ"}`},
		{"2026-02-30", `{"name":"x"}`},
		{"2026-1-10", `{"name":"x","working":true}`},
		{"2026-01-10", `{"name":"x","working":"true"}`},
		{"2026-01-10", `{"name":"x","working":null}`},
		{"2026-01-10", `{"name":" ","working":true}`},
		{"2026-01-10", `{"working":true,"open":true}`},
		{"", `{}`}, {"2026-01-10", `[]`}, {"2026-01-10", `null`},
	} {
		f.Add(s.date, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, date string, body []byte) {
		name, working, err := admin.DecodedHoliday(date, body)
		if err != nil {
			if !feedback.IsCode(err, feedback.EINVALID) {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		d, perr := time.Parse(time.DateOnly, date)
		if perr != nil {
			t.Fatalf("date %q accepted", date)
		}
		if weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday; working != weekend {
			t.Fatalf("%s (%s) accepted with working=%v", date, d.Weekday(), working)
		}
		if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 || name != strings.TrimSpace(name) ||
			strings.IndexFunc(name, unicode.IsControl) >= 0 {
			t.Fatalf("name %q accepted", name)
		}
	})
}

func FuzzDecodeRoster(f *testing.F) {
	for _, s := range []string{
		`{"start":"2026-12-01","shifts":[["anlac.lan"],["anlac.thu","anlac.minh"]],"reason":"Lịch tháng 12"}`,
		`{"start":"2026-12-01","shifts":[]}`, `{"start":"2026-12-01","shifts":[[]]}`,
		`{"start":"01/12/2026","shifts":[["a"]]}`, `{"start":"2026-12-01","shifts":[["A B"]]}`,
		`{"start":"2026-12-01","shifts":[[".a"]]}`, `{"start":"2026-12-01","shifts":[[1]]}`,
		`{"start":"2026-12-01","shifts":[["a"]],"days":3}`, `{"shifts":null}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		start, shifts, err := admin.DecodedRoster(body)
		if err != nil {
			if !feedback.IsCode(err, feedback.EINVALID) {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if _, err := time.Parse(time.DateOnly, start); err != nil {
			t.Fatalf("start %q accepted", start)
		}
		if len(shifts) == 0 || len(shifts) > feedback.MaxRosterShifts {
			t.Fatalf("%d shifts accepted", len(shifts))
		}
		for _, shift := range shifts {
			if len(shift) == 0 || len(shift) > feedback.MaxShiftOfficials {
				t.Fatalf("a shift of %d accepted", len(shift))
			}
			for _, u := range shift {
				if u == "" || strings.Trim(u, "abcdefghijklmnopqrstuvwxyz0123456789.") != "" ||
					strings.HasPrefix(u, ".") || strings.HasSuffix(u, ".") || strings.Contains(u, "..") {
					t.Fatalf("username %q accepted", u)
				}
			}
		}
	})
}

// placeName is what the place decoders let through as a name: trimmed,
// valid UTF-8, no control characters, within limits.
func placeName(t *testing.T, what, s string, max int) {
	t.Helper()
	if s == "" || s != strings.TrimSpace(s) || !utf8.ValidString(s) || utf8.RuneCountInString(s) > max ||
		strings.IndexFunc(s, unicode.IsControl) >= 0 {
		t.Fatalf("%s %q accepted", what, s)
	}
}

func FuzzDecodeWard(f *testing.F) {
	for _, s := range []string{
		`{"name":"Bình Hưng Hòa A","aliases":["P. BHH A","bhha"],"unit_id":"ward-binh-hung-hoa-a","boundary":[[106.6,10.78],[106.61,10.78],[106.61,10.79],[106.6,10.78]]}`,
		`{"name":"x","unit_id":"w","boundary":[[1,2],[3,4],[5,6]]}`,
		`{"name":"x","unit_id":"w","boundary":[[1,2],[3,4],[5,6],[1,3]]}`,
		`{"name":"x","unit_id":"w","boundary":[[200,2],[3,4],[5,6],[200,2]]}`,
		`{"name":"x","unit_id":"w","aliases":[""],"boundary":[]}`, `{"name":"x","boundary":[[1]]}`,
		`{"name":"x","area":5}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		name, aliases, unit, boundary, err := admin.DecodedWard(body)
		if err != nil {
			if !feedback.IsCode(err, feedback.EINVALID) {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		placeName(t, "name", name, 200)
		for _, a := range aliases {
			placeName(t, "alias", a, 100)
		}
		if unit == "" || strings.Trim(unit, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			t.Fatalf("unit %q accepted", unit)
		}
		if len(boundary) < 4 || boundary[0] != boundary[len(boundary)-1] {
			t.Fatalf("boundary %v accepted", boundary)
		}
		for _, p := range boundary {
			if !(p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90) {
				t.Fatalf("point %v accepted", p)
			}
		}
	})
}

func FuzzDecodeNeighbourhood(f *testing.F) {
	for _, s := range []string{
		`{"name":"Khu phố 1","streets":["Mã Lò","Bình Long"],"landmarks":[{"name":"Chợ Bình Long","aliases":["cho BL"]}]}`,
		`{"name":"Khu phố 2"}`, `{"name":" ","streets":[]}`, `{"name":"a","streets":[""]}`,
		`{"name":"a","landmarks":[{"aliases":["x"]}]}`, `{"name":"a","landmarks":[{"name":"b","aliases":[" "]}]}`,
		"{\"name\":\"a\\u0007\"}", `{"name":"a","population":1}`, `[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		name, streets, landmarks, err := admin.DecodedNeighbourhood(body)
		if err != nil {
			if !feedback.IsCode(err, feedback.EINVALID) {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		placeName(t, "name", name, 200)
		for _, s := range streets {
			placeName(t, "street", s, 100)
		}
		for _, l := range landmarks {
			for _, n := range l {
				placeName(t, "landmark name", n, 100)
			}
		}
	})
}

func FuzzDecodeLeave(f *testing.F) {
	for _, s := range []string{
		`{"leave":[{"from":"2026-12-01","to":"2026-12-05","reason":"Nghỉ phép năm"}],"reason":"đơn 12"}`,
		`{"leave":[]}`, `{"leave":null}`, `{}`, `{"leave":[{"from":"2026-12-05","to":"2026-12-01"}]}`,
		`{"leave":[{"from":"2026-02-30","to":"2026-03-01"}]}`, `{"leave":[{"from":"2026-01-01","to":"2028-01-01"}]}`,
		`{"leave":[{"from":"2026-12-01","to":"2026-12-01","days":1}]}`, "{\"leave\":[{\"from\":\"2026-12-01\",\"to\":\"2026-12-01\",\"reason\":\"a\\u0000\"}]}",
		`[]`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		leave, err := admin.DecodedLeave(body)
		if err != nil {
			if !feedback.IsCode(err, feedback.EINVALID) {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if len(leave) > feedback.MaxLeaves {
			t.Fatalf("%d leaves accepted", len(leave))
		}
		for _, l := range leave {
			from, err1 := time.Parse(time.DateOnly, l[0])
			to, err2 := time.Parse(time.DateOnly, l[1])
			if err1 != nil || err2 != nil || to.Before(from) || to.Sub(from) >= feedback.MaxLeaveDays*24*time.Hour {
				t.Fatalf("leave %v accepted", l)
			}
			if !utf8.ValidString(l[2]) || strings.IndexFunc(l[2], unicode.IsControl) >= 0 || l[2] != strings.TrimSpace(l[2]) {
				t.Fatalf("reason %q accepted", l[2])
			}
		}
	})
}
