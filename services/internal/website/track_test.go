package website_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"pakn.local/services/internal/feedback"
)

// routedTicket is what the router would store for a published item.
func (e *env) routedTicket(code feedback.TrackingCode) *feedback.Ticket {
	e.t.Helper()
	for _, it := range e.published() {
		if it.GetTrackingCode() != string(code) {
			continue
		}
		received := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
		return &feedback.Ticket{
			Code: code, Key: it.GetKey(), Status: feedback.StatusAssigned, Channel: feedback.ChannelWebsite,
			Content: it.GetContent(), Category: "chieu-sang", Ward: "an-lac", Address: it.GetAddress(),
			Citizen: feedback.Citizen{Name: it.GetCitizen().GetName(), Phone: feedback.Phone(it.GetCitizen().GetPhone())},
			UnitID:  "ward-an-lac", Assignee: "anlac.canbo1", AssigneeName: "Phạm Thị Phụ Trách",
			ReceivedAt: received, RoutedAt: received.Add(time.Minute),
			// 16/03/2026 23:59:59 in Ho Chi Minh City is 16:59:59 UTC.
			Deadline: time.Date(2026, 3, 16, 16, 59, 59, 0, time.UTC),
		}
	}
	e.t.Fatalf("no item %s published", code)
	return nil
}

func TestTrackShowsStatusAndHidesPersonalData(t *testing.T) {
	e := newEnv(t)
	f := validForm(e.token())
	f.set("content", `<script>alert("xss")</script> Đèn đường hẻm 12 không sáng & nguy hiểm`)
	f.set("name", "Trần Thị Bí Mật")
	f.set("phone", "0909 876 543")
	resp, body := e.post(f)
	code := codeOf(t, resp, body)

	tk := e.routedTicket(code)
	official := feedback.Official{Username: "anlac.canbo1", Name: "Phạm Thị Phụ Trách", UnitID: "ward-an-lac", Role: feedback.RoleOfficial}
	if _, err := tk.AddReply(official, "Ghi chú nội bộ: đã gọi cho người dân số 0909876543.", false, time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if _, err := tk.AddReply(official, "Đã thay bóng đèn ngày 05/03.\nCảm ơn anh/chị đã phản ánh.", true, time.Date(2026, 3, 5, 3, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	e.tickets.put(tk)

	resp, body = e.get("/track/" + string(code))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("track = %d", resp.StatusCode)
	}
	for _, want := range []string{
		string(code), "Đã trả lời", "Chiếu sáng công cộng", "An Lạc", "UBND phường An Lạc",
		"16/03/2026", "02/03/2026", "Phạm Thị Phụ Trách", "05/03/2026", "Đã thay bóng đèn ngày 05/03.",
		`&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;`, "không sáng &amp; nguy hiểm",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("track page lacks %q", want)
		}
	}
	for _, secret := range []string{"<script>alert", "Bí Mật", "0909876543", "0909 876 543", "876", "Ghi chú nội bộ", "anlac.canbo1", tk.Key} {
		if strings.Contains(body, secret) {
			t.Errorf("track page shows %q", secret)
		}
	}
	if rp := resp.Header.Get("Referrer-Policy"); rp != "same-origin" {
		t.Errorf("Referrer-Policy %q: the code in the path must not leak", rp)
	}

	_, body = e.get("/track/" + string(code) + "?lang=en")
	for _, want := range []string{`<html lang="en">`, "Answered", "Street lighting", "An Lac Ward People&#39;s Committee", "Answer due by"} {
		if !strings.Contains(body, want) {
			t.Errorf("English track page lacks %q", want)
		}
	}

	// Past the deadline and unanswered, the page says it is late.
	tk2 := *tk
	tk2.Replies, tk2.Status, tk2.AnsweredAt = nil, feedback.StatusAssigned, time.Time{}
	e.tickets.put(&tk2)
	e.clock.Add(30 * 24 * time.Hour)
	_, body = e.get("/track/" + string(code))
	for _, want := range []string{"Đang xử lý", "Quá hạn", "Chưa có câu trả lời."} {
		if !strings.Contains(body, want) {
			t.Errorf("overdue page lacks %q", want)
		}
	}
}

func TestTrackPendingUnknownAndLookup(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(validForm(e.token()))
	code := codeOf(t, resp, body)

	// Handed out, not routed yet.
	resp, body = e.get("/track/" + string(code))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Đã tiếp nhận, đang phân công") {
		t.Fatalf("pending = %d:\n%s", resp.StatusCode, body)
	}
	if strings.Contains(body, "Cống thoát nước") {
		t.Error("the pending page shows content it has no ticket for")
	}

	reads := e.tickets.readCount()
	if resp, _ := e.get("/track/ZZZZ-ZZZZ"); resp.StatusCode != http.StatusNotFound || e.tickets.readCount() != reads {
		t.Errorf("a code never handed out: %d, and %d store reads (want none)", resp.StatusCode, e.tickets.readCount()-reads)
	}

	for _, tc := range []struct {
		path   string
		status int
		loc    string
	}{
		{"/track/ZZZZ-ZZZZ", http.StatusNotFound, ""},
		{"/track/not-a-code-at-all", http.StatusNotFound, ""},
		{"/track/ABCD-EFGU", http.StatusNotFound, ""},
		{"/track/<script>", http.StatusNotFound, ""},
		{"/track/" + strings.ToLower(string(code)), http.StatusMovedPermanently, "/track/" + string(code)},
		{"/track/", http.StatusSeeOther, "/track"},
		{"/track", http.StatusOK, ""},
		{"/track?code=" + strings.ToLower(strings.ReplaceAll(string(code), "-", "+")), http.StatusSeeOther, "/track/" + string(code)},
		{"/track?code=%3Cb%3Ehi", http.StatusBadRequest, ""},
	} {
		resp, body := e.get(tc.path)
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.loc {
			t.Errorf("GET %s = %d %q, want %d %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.status, tc.loc)
		}
		if strings.Contains(body, "<b>hi") || strings.Contains(body, "<script>") {
			t.Errorf("GET %s echoes markup", tc.path)
		}
	}
	_, body = e.get("/track?code=%3Cb%3Ehi")
	if !strings.Contains(body, "Đây không phải là mã theo dõi") || !strings.Contains(body, `value="&lt;b&gt;hi"`) || !strings.Contains(body, `href="#code-input"`) {
		t.Errorf("lookup error page:\n%s", body)
	}
}

func TestTrackStoreDown(t *testing.T) {
	e := newEnv(t)
	resp, body := e.post(validForm(e.token()))
	code := codeOf(t, resp, body)
	e.tickets.setDown(true)
	resp, body = e.get("/track/" + string(code))
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" || !strings.Contains(body, "Hệ thống đang bận") {
		t.Fatalf("store down: %d %q\n%s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
}
