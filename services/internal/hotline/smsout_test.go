package hotline_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/hotline"
)

func TestSMSSend(t *testing.T) {
	e := newEnv(t, envOptions{})
	ctx := context.Background()
	body := "Phường An Lạc trả lời phản ánh 7K3M-9QXT: đã nạo vét cống.\nAnswer to 7K3M-9QXT."
	if err := e.sms.Send(ctx, "+84901234567", body); err != nil {
		t.Fatal(err)
	}
	sent := e.twilio.sent()
	if len(sent) != 1 {
		t.Fatalf("%d requests", len(sent))
	}
	r := sent[0]
	if r.Method != http.MethodPost || r.Path != "/2010-04-01/Accounts/"+testAccount+"/Messages.json" {
		t.Fatalf("%s %s", r.Method, r.Path)
	}
	if r.User != testAccount || r.Password != testToken {
		t.Fatalf("basic auth %q:%q", r.User, r.Password)
	}
	if r.Form.Get("From") != testFrom || r.Form.Get("To") != "+84901234567" || r.Form.Get("Body") != body {
		t.Fatalf("form %v", r.Form)
	}

	cases := []struct {
		status int
		code   string
	}{
		{http.StatusInternalServerError, feedback.EUNAVAILABLE},
		{http.StatusServiceUnavailable, feedback.EUNAVAILABLE},
		{http.StatusTooManyRequests, feedback.EUNAVAILABLE},
		{http.StatusBadRequest, feedback.EINVALID},
		{http.StatusNotFound, feedback.EINVALID},
	}
	for _, tc := range cases {
		e.twilio.setStatus(tc.status)
		err := e.sms.Send(ctx, "+84901234567", "xin chào")
		if !feedback.IsCode(err, tc.code) {
			t.Errorf("HTTP %d: got %v, want %s", tc.status, err, tc.code)
		}
	}
	e.twilio.setStatus(0)

	if err := e.sms.Send(ctx, "not a number", "xin chào"); !feedback.IsCode(err, feedback.EINVALID) {
		t.Errorf("bad number: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := e.sms.Send(cancelled, "+84901234567", "xin chào"); !feedback.IsCode(err, feedback.EUNAVAILABLE) ||
		!errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestSMSSendTransportFailureAndPrefix(t *testing.T) {
	// Nothing listens here any more: a transport error.
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	cfg := hotline.Config{AccountSID: testAccount, AuthToken: testToken, From: testFrom,
		PublicURL: "https://pakn.example", APIURL: dead.URL}
	sms, err := hotline.NewSMS(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := sms.Send(context.Background(), "+84901234567", "x"); !feedback.IsCode(err, feedback.EUNAVAILABLE) {
		t.Fatalf("transport failure: %v", err)
	}

	// TWILIO_API_URL may have a path of its own (a proxy).
	s := newStandIn(t)
	cfg.APIURL = s.srv.URL + "/twilio/"
	if sms, err = hotline.NewSMS(cfg); err != nil {
		t.Fatal(err)
	}
	if err := sms.Send(context.Background(), "+84901234567", "x"); err != nil {
		t.Fatal(err)
	}
	if got := s.sent()[0].Path; got != "/twilio/2010-04-01/Accounts/"+testAccount+"/Messages.json" {
		t.Fatalf("path %s", got)
	}

	var none *hotline.SMS
	if err := none.Send(context.Background(), "+84901234567", "x"); !feedback.IsCode(err, feedback.ENOTREADY) {
		t.Fatalf("nil sender: %v", err)
	}
	if _, err := hotline.NewSMS(hotline.Config{PublicURL: "https://pakn.example"}); err == nil {
		t.Fatal("NewSMS without an account")
	}
}

func TestConfig(t *testing.T) {
	env := map[string]string{"TWILIO_ACCOUNT_SID": testAccount, "TWILIO_AUTH_TOKEN": testToken, "TWILIO_FROM": testFrom}
	cfg := hotline.ConfigFromEnv(func(k string) string { return env[k] })
	if cfg.PublicURL != hotline.DefaultPublicURL || !cfg.Configured() || cfg.Validate() != nil {
		t.Fatalf("%+v: %v", cfg, cfg.Validate())
	}
	bad := []hotline.Config{
		{PublicURL: "ftp://x"},
		{PublicURL: "https://x", AccountSID: testAccount},
		{PublicURL: "https://x", AccountSID: "AC1", AuthToken: testToken, From: testFrom},
		{PublicURL: "https://x", AccountSID: testAccount, AuthToken: "a:b", From: testFrom},
		{PublicURL: "https://x", AccountSID: testAccount, AuthToken: testToken, From: "hotline"},
		{PublicURL: "https://x", APIURL: "not a url"},
	}
	for _, c := range bad {
		if err := c.Validate(); !errors.Is(err, hotline.ErrInvalidConfig) {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if (hotline.Config{PublicURL: "https://x"}).Validate() != nil {
		t.Error("an unconfigured hotline is valid")
	}
}
