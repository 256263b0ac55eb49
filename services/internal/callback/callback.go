// Package callback POSTs signed JSON to a partner's URL (the Digital
// Citizen app backend, the city portal): the body is signed with the
// portal's scheme (package signature) and carries the event id as its
// Idempotency-Key, so a retried delivery can be dropped by the receiver.
package callback

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"pakn.local/services/internal/feedback"
	"pakn.local/services/internal/signature"
)

// Client posts to one URL with one secret.
type Client struct {
	url    string
	secret []byte
	header string
	http   *http.Client
	now    func() time.Time
}

// New returns a client. header names the signature header
// (X-Portal-Signature for the portal, X-PAKN-Signature for the app).
func New(url string, secret []byte, header string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 15 * time.Second}
	}
	return &Client{url: url, secret: secret, header: header, http: hc, now: time.Now}
}

// Post sends payload. A 2xx is delivered; 408, 429 and 5xx or no answer
// are EUNAVAILABLE (retry later); any other status is EINVALID: the
// partner refuses it and retrying cannot help.
func (c *Client) Post(ctx context.Context, id string, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("callback: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("callback: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", id)
	req.Header.Set(c.header, signature.Sign(c.secret, body, c.now()))
	res, err := c.http.Do(req)
	if err != nil {
		return feedback.Unavailable(fmt.Errorf("callback %s: %w", c.url, err))
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	switch {
	case res.StatusCode >= 200 && res.StatusCode < 300:
		return nil
	case res.StatusCode == http.StatusRequestTimeout, res.StatusCode == http.StatusTooManyRequests, res.StatusCode >= 500:
		return feedback.Unavailable(fmt.Errorf("callback %s: status %d", c.url, res.StatusCode))
	default:
		return &feedback.Error{Code: feedback.EINVALID, Message: "Đối tác từ chối thông báo.",
			MessageEN: fmt.Sprintf("callback %s refused with status %d", c.url, res.StatusCode)}
	}
}
