package hotline

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"pakn.local/services/internal/feedback"
)

// smsTimeout bounds one request to Twilio's REST API.
const smsTimeout = 10 * time.Second

// SMS sends texts from the hotline's number through Twilio's REST API. The
// notifier delivers officials' answers with it; the spool sends new codes.
type SMS struct {
	accountSID string
	authToken  string
	from       string
	api        *url.URL // TWILIO_API_URL; nil for Twilio's own
	transport  http.RoundTripper
}

// NewSMS returns a sender for a configured account (Config.Configured).
func NewSMS(cfg Config) (*SMS, error) {
	if !cfg.Configured() {
		return nil, fmt.Errorf("%w: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM are required", ErrInvalidConfig)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &SMS{accountSID: cfg.AccountSID, authToken: cfg.AuthToken, from: cfg.From,
		transport: http.DefaultTransport.(*http.Transport).Clone()}
	if cfg.APIURL != "" {
		s.api, _ = parseBaseURL(cfg.APIURL) // checked by Validate
	}
	return s, nil
}

// Send texts body to a citizen. A transport failure or a 5xx (or 429) from
// Twilio is EUNAVAILABLE: try again later. Any other 4xx is EINVALID: Twilio
// refuses this message (a bad number, an unreachable country) and will go on
// refusing it.
func (s *SMS) Send(ctx context.Context, to feedback.Phone, body string) error {
	if s == nil {
		return errNotConfigured
	}
	if toPhone(string(to)) == "" {
		return feedback.Invalid("to", "Số điện thoại nhận tin không hợp lệ.", "invalid recipient number")
	}
	if strings.TrimSpace(body) == "" {
		return feedback.Invalid("body", "Tin nhắn trống.", "empty message")
	}
	// twilio-go builds each request without a context and has no base-URL
	// setting, so every Send gets a transport of its own: it carries ctx,
	// sends to TWILIO_API_URL when set, and keeps the HTTP status, which the
	// library's error does not always hold.
	rt := &sendTransport{ctx: ctx, api: s.api, base: s.transport}
	c := &client.Client{
		Credentials: client.NewCredentials(s.accountSID, s.authToken),
		HTTPClient: &http.Client{
			Transport:     rt,
			Timeout:       smsTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	c.SetAccountSid(s.accountSID)
	// A RequestHandler of our own: NewRequestHandler would read TWILIO_EDGE
	// and TWILIO_REGION from the process environment behind our back.
	api := openapi.NewApiService(&client.RequestHandler{Client: c})
	params := &openapi.CreateMessageParams{}
	params.SetTo(string(to))
	params.SetFrom(s.from)
	params.SetBody(body)
	_, err := api.CreateMessage(params)
	switch st := rt.status; {
	case st >= 200 && st < 300:
		return nil // sent; a response body we cannot decode does not unsend it
	case err == nil:
		return nil
	case st == 0 || st >= 500 || st == http.StatusTooManyRequests || ctx.Err() != nil:
		return feedback.Unavailable(fmt.Errorf("twilio: send SMS: %w", err))
	case st >= 400:
		return &feedback.Error{Code: feedback.EINVALID, Field: "to",
			Message:   "Không gửi được tin nhắn tới số này.",
			MessageEN: fmt.Sprintf("Twilio refused the message (HTTP %d)", st), Err: err}
	default:
		return feedback.Unavailable(fmt.Errorf("twilio: send SMS: HTTP %d: %w", st, err))
	}
}

// sendTransport serves one Send.
type sendTransport struct {
	ctx    context.Context
	api    *url.URL
	base   http.RoundTripper
	status int
}

func (t *sendTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(t.ctx)
	if t.api != nil {
		r.URL.Scheme = t.api.Scheme
		r.URL.Host = t.api.Host
		r.URL.Path = strings.TrimRight(t.api.Path, "/") + req.URL.Path
		r.URL.RawPath = ""
		r.Host = ""
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	t.status = resp.StatusCode // 0 until a response arrives: a transport failure
	return resp, nil
}

var _ Notifier = (*SMS)(nil)
