package hotline_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"pakn.local/services/internal/feedback"
)

// desk stands in for the lead's token check: a fixed set of signed-in staff.
type desk map[string]feedback.Official

func (d desk) Operator(_ context.Context, bearer string) (feedback.Official, error) {
	if o, ok := d[bearer]; ok {
		return o, nil
	}
	return feedback.Official{}, feedback.Errorf(feedback.EUNAUTHORIZED, "Phiên đăng nhập không hợp lệ.", "invalid token")
}

func (e *env) operatorPost(token, contentType, body string) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.public()+"/hotline/v1/calls", strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { resp.Body.Close() })
	return resp
}

const goodCall = `{"call_ref":"1022-20250610-0042","phone":"0901234567","name":"Nguyễn Văn A",
	"content":"Cống bị nghẹt trước nhà số 15 đường số 3, nước tràn lên mặt đường.","category":"ngap-nuoc",
	"ward":"An Lạc","address":"15 đường số 3"}`

func TestOperatorCall(t *testing.T) {
	e := newEnv(t, envOptions{ops: desk{"tok-op": {Username: "tongdai1", Name: "Trần Thị B", Active: true}}})
	resp := e.operatorPost("tok-op", "application/json", goodCall)
	status(t, resp, http.StatusAccepted)
	var got struct {
		TrackingCode feedback.TrackingCode `json:"tracking_code"`
	}
	decodeJSON(t, resp, &got)
	if _, err := feedback.ParseTrackingCode(string(got.TrackingCode)); err != nil {
		t.Fatalf("code %q: %v", got.TrackingCode, err)
	}
	items := e.stream()
	if len(items) != 1 {
		t.Fatalf("%d items", len(items))
	}
	it := items[0]
	if it.Key != "hotline:op:1022-20250610-0042" || it.Code != got.TrackingCode || it.Citizen.Phone != "0901234567" ||
		it.Citizen.Name != "Nguyễn Văn A" || it.Ward != "An Lạc" || it.Category != "ngap-nuoc" || it.Address != "15 đường số 3" {
		t.Fatalf("item %+v", it)
	}

	// The operator presses "send" twice: one item, one code.
	again := e.operatorPost("tok-op", "application/json", goodCall)
	status(t, again, http.StatusAccepted)
	var got2 struct {
		TrackingCode feedback.TrackingCode `json:"tracking_code"`
	}
	decodeJSON(t, again, &got2)
	if got2.TrackingCode != got.TrackingCode || len(e.stream()) != 1 {
		t.Fatalf("repeat gave %s (first %s), %d items", got2.TrackingCode, got.TrackingCode, len(e.stream()))
	}

	cases := []struct {
		name, token, ct, body string
		want                  int
	}{
		{"no token", "", "application/json", goodCall, http.StatusUnauthorized},
		{"unknown token", "tok-x", "application/json", goodCall, http.StatusUnauthorized},
		{"not JSON", "tok-op", "text/plain", goodCall, http.StatusUnsupportedMediaType},
		{"unknown field", "tok-op", "application/json", `{"call_ref":"r1","content":"x","priority":1}`, http.StatusBadRequest},
		{"bad call_ref", "tok-op", "application/json", `{"call_ref":"../x","content":"ngập"}`, http.StatusBadRequest},
		{"no call_ref", "tok-op", "application/json", `{"content":"ngập"}`, http.StatusBadRequest},
		{"bad phone", "tok-op", "application/json", `{"call_ref":"r2","phone":"gọi lại sau","content":"ngập"}`, http.StatusBadRequest},
		{"no content", "tok-op", "application/json", `{"call_ref":"r3","content":"  "}`, http.StatusBadRequest},
		{"same call_ref, other content", "tok-op", "application/json",
			strings.Replace(goodCall, "Cống bị nghẹt", "Cống bị vỡ", 1), http.StatusConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status(t, e.operatorPost(tc.token, tc.ct, tc.body), tc.want)
		})
	}
	if n := len(e.stream()); n != 1 {
		t.Fatalf("%d items after refused calls", n)
	}
}
